package org.callcentre.cardcapture;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

import org.callcentre.cardvault.CardBrand;
import org.callcentre.payment.DeclineReason;
import org.callcentre.payment.Money;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Outcome;
import org.callcentre.processes.cardcapture.CardCaptureProcess.PaymentPath;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code card_capture} table. */
@Repository
public class CardCaptureStore {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public CardCaptureStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Inserts a running capture. {@code running_pledge_id} is unique, so a second running capture for the
     * same pledge fails here even when two requests race.
     */
    public void insert(String id, long pledgeId, String callSid, String conferenceName, String agentId,
            PaymentPath paymentPath, Money amount) {
        jdbc.update("insert into card_capture (id, pledge_id, running_pledge_id, call_sid, conference_name, agent_id, "
                + "status, step, failures, declines, donor_hung_up, donor_returned, started_at, payment_path, "
                + "amount_minor, currency) values (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, false, false, ?, ?, ?, ?)", id,
                pledgeId, pledgeId, callSid, conferenceName, agentId, Outcome.IN_PROGRESS.name(),
                Timestamp.from(clock.instant()), paymentPath.name(), amount.minorUnits(),
                amount.currency().getCurrencyCode());
    }

    public void setProcessInstance(String id, String processInstanceId) {
        jdbc.update("update card_capture set process_instance_id = ? where id = ?", processInstanceId, id);
    }

    public Optional<CardCapture> find(String id) {
        return jdbc.query("select * from card_capture where id = ?", CardCaptureStore::map, id).stream().findFirst();
    }

    /** The capture a process instance runs (the instance id cannot be changed by anyone, unlike its variables). */
    public CardCapture forInstance(String processInstanceId) {
        return findForInstance(processInstanceId)
                .orElseThrow(() -> new IllegalStateException("no card capture for process instance " + processInstanceId));
    }

    public Optional<CardCapture> findForInstance(String processInstanceId) {
        return jdbc.query("select * from card_capture where process_instance_id = ?", CardCaptureStore::map,
                processInstanceId).stream().findFirst();
    }

    /** {@link #forInstance}, its row locked until the transaction ends. */
    public CardCapture lockForInstance(String processInstanceId) {
        return jdbc.query("select * from card_capture where process_instance_id = ? for update", CardCaptureStore::map,
                processInstanceId).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("no card capture for process instance " + processInstanceId));
    }

    public CardCapture get(String id) {
        return find(id).orElseThrow(() -> new IllegalStateException("no card capture " + id));
    }

    /**
     * The capture, its row locked until the transaction ends: webhooks of one call and the job moving the donor
     * into the IVR take turns instead of racing in the engine.
     */
    public Optional<CardCapture> lock(String id) {
        return jdbc.query("select * from card_capture where id = ? for update", CardCaptureStore::map, id).stream()
                .findFirst();
    }

    public Optional<CardCapture> running(long pledgeId) {
        return jdbc.query("select * from card_capture where running_pledge_id = ?", CardCaptureStore::map, pledgeId)
                .stream().findFirst();
    }

    public Optional<CardCapture> latest(long pledgeId) {
        return jdbc.query("select * from card_capture where pledge_id = ? order by started_at desc, id",
                CardCaptureStore::map, pledgeId).stream().findFirst();
    }

    public Optional<CardCapture> runningByCallSid(String callSid) {
        return jdbc.query("select * from card_capture where call_sid = ? and running_pledge_id is not null",
                CardCaptureStore::map, callSid).stream().findFirst();
    }

    /**
     * The donor's entry at {@code step}, answering {@code prompt}, is taken: the next prompt is asked at the next step,
     * with the entry's failure count and error; a valid card number also brings its brand and masked form (else
     * null: unchanged).
     */
    public void takeEntry(String id, int step, DonorStep.Kind prompt, int failures, EntryError error, CardBrand brand,
            String maskedCard) {
        if (!prompt.isPrompt()) {
            throw new IllegalArgumentException(prompt + " is not a prompt");
        }
        int rows = jdbc.update("update card_capture set step = step + 1, last_prompt = ?, failures = ?, "
                + "entry_error = ?, card_brand = coalesce(?, card_brand), masked_card = coalesce(?, masked_card) "
                + "where id = ? and step = ?",
                prompt.name(), failures, error == null ? null : error.name(), brand == null ? null : brand.name(),
                maskedCard, id, step);
        if (rows != 1) {
            throw new IllegalStateException("card capture " + id + " is no longer at step " + step);
        }
    }

    /** The prompt the donor's last entry answered; empty before the first entry. */
    public Optional<DonorStep.Kind> lastPrompt(String id) {
        return jdbc.queryForList("select last_prompt from card_capture where id = ?", String.class, id).stream()
                .filter(prompt -> prompt != null)
                .map(DonorStep.Kind::valueOf)
                .findFirst();
    }

    /**
     * The prompt asked at {@code step} timed out without a key: it is asked again at the next step, with the entry
     * error {@link EntryError#SILENCE} and one more silent re-prompt in a row. The failures stay as they were.
     * {@code silent_prompts} counts only while {@code entry_error} is SILENCE: any key entry overwrites the error and
     * so ends the run.
     */
    public void takeSilence(String id, int step) {
        int rows = jdbc.update("update card_capture set step = step + 1, silent_prompts = case when entry_error = ? "
                + "then silent_prompts + 1 else 1 end, entry_error = ? where id = ? and step = ?",
                EntryError.SILENCE.name(), EntryError.SILENCE.name(), id, step);
        if (rows != 1) {
            throw new IllegalStateException("card capture " + id + " is no longer at step " + step);
        }
    }

    /** How many times in a row the donor's prompt was asked again after silence (0 when the last entry had keys). */
    public int silentPromptsInARow(String id) {
        Integer silent = jdbc.queryForObject("select case when entry_error = ? then silent_prompts else 0 end "
                + "from card_capture where id = ?", Integer.class, EntryError.SILENCE.name(), id);
        return silent == null ? 0 : silent;
    }

    /**
     * The agent's conference of a capture, read on its own: when a webhook fails, this narrow read can still give
     * the donor the way back although the capture as a whole could not be read.
     */
    public Optional<String> conferenceName(String id) {
        return jdbc.queryForList("select conference_name from card_capture where id = ?", String.class, id).stream()
                .findFirst();
    }

    /** Captures in progress with a process instance (the sweeper checks that the instance still exists). */
    public List<RunningInstance> runningInstances() {
        return jdbc.query("select id, process_instance_id from card_capture where running_pledge_id is not null "
                + "and status = ? and process_instance_id is not null",
                (rs, row) -> new RunningInstance(rs.getString(1), rs.getString(2)), Outcome.IN_PROGRESS.name());
    }

    /** A running capture and its process instance. */
    public record RunningInstance(String captureId, String processInstanceId) {
    }

    public void recordDecline(String id, int declines, DeclineReason reason) {
        jdbc.update("update card_capture set declines = ?, decline_reason = ?, failures = 0, entry_error = null, "
                + "card_brand = null, masked_card = null, payment_method = null, charge_reference = null where id = ?",
                declines, reason == null ? null : reason.name(), id);
    }

    public void recordDeclineReason(String id, DeclineReason reason) {
        jdbc.update("update card_capture set decline_reason = ? where id = ?", reason.name(), id);
    }

    public void recordNewToken(String id, String tokenRef) {
        jdbc.update("update card_capture set new_token_ref = ? where id = ?", tokenRef, id);
    }

    /** The gateway's payment method made from the current card: later steps name it instead of card data. */
    public void recordPaymentMethod(String id, String paymentMethod) {
        jdbc.update("update card_capture set payment_method = ? where id = ?", paymentMethod, id);
    }

    /** A charge the gateway accepted but has not settled: asked after by this reference. */
    public void recordChargeReference(String id, String reference) {
        jdbc.update("update card_capture set charge_reference = ? where id = ?", reference, id);
    }

    /** One more look at a charge whose outcome is unknown; answers how many there have been. */
    public int countSettleAttempt(String id) {
        jdbc.update("update card_capture set settle_attempts = settle_attempts + 1 where id = ?", id);
        return get(id).settleAttempts();
    }

    /**
     * Whether money moved is not known yet: the capture has ended for the donor, but stays the pledge's running
     * capture, so no new capture can start until the charge is settled.
     */
    public void markUnknown(String id) {
        jdbc.update("update card_capture set status = ? where id = ?", Outcome.UNKNOWN.name(), id);
    }

    public void markDonorHungUp(String id) {
        jdbc.update("update card_capture set donor_hung_up = true where id = ?", id);
    }

    public void markDonorReturned(String id) {
        jdbc.update("update card_capture set donor_returned = true where id = ?", id);
    }

    /** The capture ends with this status: the pledge is free for another capture. */
    public void finish(String id, Outcome outcome) {
        jdbc.update("update card_capture set status = ?, running_pledge_id = null, ended_at = ? where id = ?",
                outcome.name(), Timestamp.from(clock.instant()), id);
    }

    private static CardCapture map(ResultSet rs, int row) throws SQLException {
        Timestamp ended = rs.getTimestamp("ended_at");
        String error = rs.getString("entry_error");
        String decline = rs.getString("decline_reason");
        String brand = rs.getString("card_brand");
        String path = rs.getString("payment_path");
        String currency = rs.getString("currency");
        return new CardCapture(rs.getString("id"), rs.getLong("pledge_id"), rs.getString("process_instance_id"),
                rs.getString("call_sid"), rs.getString("conference_name"), rs.getString("agent_id"),
                Outcome.valueOf(rs.getString("status")), rs.getInt("step"), rs.getInt("failures"),
                error == null ? null : EntryError.valueOf(error), rs.getInt("declines"),
                decline == null ? null : DeclineReason.valueOf(decline), brand == null ? null : CardBrand.valueOf(brand),
                rs.getString("masked_card"), rs.getString("new_token_ref"), rs.getBoolean("donor_hung_up"),
                rs.getBoolean("donor_returned"), rs.getTimestamp("started_at").toInstant(),
                ended == null ? null : ended.toInstant(), path == null ? null : PaymentPath.valueOf(path),
                currency == null ? null : new Money(rs.getLong("amount_minor"), Currency.getInstance(currency)),
                rs.getString("payment_method"), rs.getString("charge_reference"), rs.getInt("settle_attempts"));
    }
}
