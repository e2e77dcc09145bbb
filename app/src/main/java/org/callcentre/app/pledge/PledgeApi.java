package org.callcentre.app.pledge;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.callcentre.app.web.PlainAmount;
import org.callcentre.pledge.Frequency;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** The JSON shapes of the pledge API. */
public final class PledgeApi {

    private PledgeApi() {
    }

    /** {@code leadId}: the lead whose call the pledge is taken on (card capture needs it); optional. */
    public record NewPledge(
            @NotNull @Positive Long campaignId,
            @Positive Long leadId,
            @NotBlank @Size(max = 200) String donorName,
            @NotNull @Pattern(regexp = "\\+[1-9][0-9]{6,14}", message = "must be a phone number in E.164 form such as +447700900123") String donorPhone,
            @NotNull @Positive @JsonDeserialize(using = PlainAmount.class) BigDecimal amount,
            @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as GBP") String currency,
            @NotNull Frequency frequency) {
    }

    public record PledgeView(long id, long campaignId, Long leadId, String donorName, String donorPhone, BigDecimal amount,
            String currency, Frequency frequency, boolean paid, String maskedCard, boolean tokenPresent,
            CardCaptureView cardCapture, List<PaymentView> payments) {
    }

    /** {@code description}: the capture as the agent is told it ("Paid: Visa ending 4242"), in words. */
    public record CardCaptureView(String id, String status, String maskedCard, String declineReason,
            Instant startedAt, Instant endedAt, String description) {
    }

    public record PaymentView(String reference, BigDecimal amount, String currency, String maskedCard,
            Instant createdAt) {
    }
}
