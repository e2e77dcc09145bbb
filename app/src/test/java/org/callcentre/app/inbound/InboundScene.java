package org.callcentre.app.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.DiallerSetup;
import org.callcentre.app.support.Phones;
import org.callcentre.emulator.twilio.EmulatedCall;
import org.callcentre.emulator.twilio.TwilioEmulator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A team of two agents behind an inbound number of its own, in the Twilio emulator: the number's Voice URL is the
 * app's, key 1 of its menu leads to the team's queue, key 9 in the queue asks for a callback (as soon as an agent
 * is free), and lost calls become callbacks. Calling hours are all day, in London.
 */
final class InboundScene {

    static final Duration WAIT = Duration.ofSeconds(20);

    final TwilioEmulator twilio;
    final JdbcTemplate jdbc;
    final TransactionTemplate transactions;
    final AgentApi agent;
    final AgentApi teammate;
    final long campaign;
    final long team;
    final String number;
    final long numberId;

    InboundScene(AgentApi admin, TwilioEmulator twilio, String base, JdbcTemplate jdbc,
            PlatformTransactionManager transactions) {
        this.twilio = twilio;
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions);
        agent = CallCentreStaff.create(admin, "inagent", "AGENT", false);
        teammate = CallCentreStaff.create(admin, "inmate", "AGENT", false);
        campaign = DiallerSetup.campaign(admin, DiallerSetup.rules(0, 10, 10, "00:00", "00:00", "Europe/London"),
                List.of("+15005550041"));
        long callList = DiallerSetup.callList(admin, campaign);
        team = DiallerSetup.team(admin, List.of(agent.user(), teammate.user()), List.of(callList));
        number = DiallerSetup.mobile();
        Reply created = admin.post("/api/inbound-numbers", settings(number, team, campaign));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        numberId = created.json().get("id").asLong();
        twilio.setVoiceUrl(number, base + "/twilio/inbound/voice", base + "/twilio/calls/status");
    }

    /** The body of an inbound number: key 1 to the team, a callback offer on 9 (0 minutes), lost calls called back. */
    static Map<String, Object> settings(String number, long team, long campaign) {
        Map<String, Object> body = new HashMap<>();
        body.put("number", number);
        body.put("locale", "en-GB");
        body.put("greeting", "Welcome to the Hope Foundation.");
        body.put("options", List.of(Map.of("key", "1", "label", "donations", "teamId", team)));
        body.put("callbackOffer", Map.of("key", "9", "minutes", 0));
        body.put("lostCallsBecomeCallbacks", true);
        body.put("campaignId", campaign);
        return body;
    }

    /** A caller rings the number, hears the menu and presses 1: answers the call once it waits in the queue. */
    EmulatedCall queuedCaller(String from) {
        EmulatedCall caller = twilio.placeInboundCall(from, number);
        assertThat(caller.awaitGather(WAIT).prompt()).contains("Welcome to the Hope Foundation.",
                "For donations, press 1.");
        caller.press("1");
        assertThat(caller.awaitQueued(WAIT)).isEqualTo("team-" + team);
        return caller;
    }

    /** The agent's phone is connected and the agent is available for inbound calls. */
    void available(AgentApi who) {
        if (!who.get("/api/agents/me").json().path("phone").path("connected").asBoolean()) {
            Phones.connect(twilio, who);
        }
        Reply set = who.post("/api/agents/me/availability", Map.of("available", true));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.json().get("available").asBoolean()).isTrue();
    }

    void unavailable(AgentApi who) {
        Reply set = who.post("/api/agents/me/availability", Map.of("available", false));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
    }

    Map<String, Object> inboundCall(String callSid) {
        return await().atMost(WAIT).until(() -> jdbc.queryForList("select * from inbound_call where call_sid = ?",
                callSid), rows -> rows.size() == 1).get(0);
    }

    String status(String callSid) {
        return (String) inboundCall(callSid).get("status");
    }

    void awaitResult(String callSid, String result) {
        await().atMost(WAIT).until(() -> result.equals(inboundCall(callSid).get("result")));
    }

    /** A caller hangs up while queued; answers the lost call's callback once it is due (it keeps the caller's place). */
    long dueLostCallCallback(String from) {
        EmulatedCall caller = queuedCaller(from);
        caller.hangUp();
        awaitResult(caller.sid(), "LOST");
        await().atMost(WAIT).until(() -> callbacks(from).size() == 1
                && "DUE".equals(callbacks(from).get(0).get("status")));
        return ((Number) callbacks(from).get(0).get("id")).longValue();
    }

    /** The callbacks for a number, oldest first. */
    List<Map<String, Object>> callbacks(String phone) {
        return jdbc.queryForList("select * from callback where phone = ? order by id", phone);
    }

    /** An update committed at once (the app's connections do not auto-commit). */
    int update(String sql, Object... arguments) {
        return transactions.execute(tx -> jdbc.update(sql, arguments));
    }
}
