package org.callcentre.emulator.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.twilio.rest.api.v2010.account.Call;
import com.twilio.security.RequestValidator;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Calls that come in to one of the account's numbers, as Twilio sends them to the number's Voice URL. */
class InboundCallsTest extends EmulatorTest {

    private static final String DONOR = "+447700900123";

    @Test
    void anInboundCallRequestsTheNumbersVoiceUrlSignedAndRunsItsTwiml() {
        String number = "+441632960101";
        emulator.setVoiceUrl(number, app.url("/in/voice"), app.url("/in/status"));
        app.twiml("/in/voice", "<Response><Gather action=\"/in/menu\" numDigits=\"1\">"
                + "<Say>Press 1 to give, 2 for a callback.</Say></Gather></Response>");
        app.twiml("/in/menu", "<Response><Say>Thank you.</Say><Hangup/></Response>");
        app.twiml("/in/status", "");

        EmulatedCall call = emulator.placeInboundCall(DONOR, number);
        assertThat(call.direction()).isEqualTo("inbound");

        FakeApp.Req voice = app.take("/in/voice", T);
        assertThat(voice.method()).isEqualTo("POST");
        assertThat(voice.params())
                .containsEntry("CallSid", call.sid())
                .containsEntry("AccountSid", emulator.accountSid())
                .containsEntry("From", DONOR)
                .containsEntry("Caller", DONOR)
                .containsEntry("To", number)
                .containsEntry("Called", number)
                .containsEntry("CallStatus", "ringing")
                .containsEntry("Direction", "inbound")
                .containsEntry("ApiVersion", "2010-04-01");
        assertThat(new RequestValidator(emulator.authToken()).validate(voice.url(), voice.params(), voice.signature()))
                .isTrue();

        assertThat(call.awaitGather(T).prompt()).isEqualTo("Press 1 to give, 2 for a callback.");
        assertThat(call.status()).isEqualTo("in-progress");
        call.press("1");
        FakeApp.Req menu = app.take("/in/menu", T);
        assertThat(menu.params()).containsEntry("Digits", "1").containsEntry("CallStatus", "in-progress")
                .containsEntry("Direction", "inbound");
        call.awaitEnded(T);

        // the number's status callback: the final status only, with the standard parameters
        FakeApp.Req status = app.take("/in/status", T);
        assertThat(status.params()).containsEntry("CallSid", call.sid()).containsEntry("CallStatus", "completed")
                .containsEntry("Direction", "inbound").containsEntry("From", DONOR).containsEntry("To", number)
                .containsKey("CallDuration");
        assertThat(new RequestValidator(emulator.authToken()).validate(status.url(), status.params(),
                status.signature())).isTrue();
        emulator.awaitWebhooksDelivered(T);
        assertThat(app.requests("/in/status")).hasSize(1);
    }

    @Test
    void anInboundCallIsACallOfTheRestApi() {
        String number = "+441632960102";
        emulator.setVoiceUrl(number, app.url("/rest-in/voice"), null);
        app.twiml("/rest-in/voice", "<Response><Gather numDigits=\"4\"><Say>Enter your reference.</Say></Gather></Response>");
        app.twiml("/rest-in/elsewhere", "<Response><Say>Moved.</Say><Hangup/></Response>");

        EmulatedCall call = emulator.placeInboundCall(DONOR, number);
        call.awaitGather(T);
        Call fetched = Call.fetcher(call.sid()).fetch(TwilioSdk.client(emulator));
        assertThat(fetched.getDirection()).isEqualTo("inbound");
        assertThat(fetched.getStatus()).isEqualTo(Call.Status.IN_PROGRESS);
        assertThat(fetched.getFrom()).isEqualTo(DONOR);

        Call.updater(call.sid()).setUrl(URI.create(app.url("/rest-in/elsewhere"))).update(TwilioSdk.client(emulator));
        call.awaitHeard("Moved.", T);
        call.awaitEnded(T);
    }

    @Test
    void theCallerHangsUp() {
        String number = "+441632960103";
        emulator.setVoiceUrl(number, app.url("/hang-in/voice"), null);
        app.twiml("/hang-in/voice", "<Response><Gather><Say>Say something.</Say></Gather></Response>");
        EmulatedCall call = emulator.placeInboundCall(DONOR, number);
        call.awaitGather(T);
        call.hangUp();
        assertThat(call.status()).isEqualTo("completed");
    }

    @Test
    void onlyTheAccountsNumbersCanBeCalled() {
        assertThatThrownBy(() -> emulator.placeInboundCall(DONOR, "+441632969999"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("+441632969999");
        assertThatThrownBy(() -> emulator.setVoiceUrl("+441632960104", "not a url", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void numbersComeFromTheSettingsToo() {
        String url = app.url("/settings-in/voice");
        app.twiml("/settings-in/voice", "<Response><Say>Hello.</Say></Response>");
        try (TwilioEmulator other = TwilioEmulator.start(TwilioEmulator.Settings.defaults()
                .withVoiceUrl("+441632960105", url))) {
            assertThat(other.incomingNumbers()).containsKey("+441632960105");
            EmulatedCall call = other.placeInboundCall(DONOR, "+441632960105");
            call.awaitHeard("Hello.", T);
            call.awaitEnded(T);
        }
    }
}
