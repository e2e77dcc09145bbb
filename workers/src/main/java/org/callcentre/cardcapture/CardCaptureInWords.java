package org.callcentre.cardcapture;

import java.text.NumberFormat;
import java.util.Locale;

import org.callcentre.campaign.Campaign;
import org.callcentre.payment.DeclineReason;
import org.callcentre.payment.Money;
import org.callcentre.pledge.Frequency;
import org.callcentre.pledge.Pledge;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Outcome;
import org.callcentre.processes.cardcapture.CardCaptureProcess.PaymentPath;
import org.springframework.stereotype.Component;

/**
 * A card capture and its pledge as an agent reads them in Tasklist and in the console: whom and what ("Jane Donor,
 * £25.00 monthly") and how the capture stands or ended ("Paid: Visa ending 4242"), never an enum code. Everything
 * is read from our tables (the capture's row, the pledge and its campaign), never from process variables, which
 * whoever has a task could write. The only card data in these words is the masked card.
 */
@Component
public class CardCaptureInWords {

    /**
     * A donor name longer than this is shortened in a task's name: the engine keeps at most 255 characters of a name,
     * and the amount and frequency must still fit.
     */
    static final int MAX_DONOR_NAME = 100;

    private final CardCaptureStore captures;

    public CardCaptureInWords(CardCaptureStore captures) {
        this.captures = captures;
    }

    /** How the capture stands or ended, in words. */
    public String outcome(CardCapture capture) {
        boolean promptMatters = capture.status() == Outcome.RETURNED_TO_AGENT
                || capture.status() == Outcome.IN_PROGRESS;
        return outcome(capture, promptMatters ? captures.lastPrompt(capture.id()).orElse(null) : null);
    }

    /**
     * How the capture stands or ended, in words, given the prompt the donor's last entry answered (null if none):
     * where a donor who went back to the agent left the card entry.
     */
    static String outcome(CardCapture capture, DonorStep.Kind lastPrompt) {
        String card = capture.maskedCard() == null ? "the card" : capture.maskedCard();
        return switch (capture.status()) {
            case IN_PROGRESS -> inProgress(capture, lastPrompt, card);
            case SUCCEEDED -> succeeded(capture, card);
            case DECLINED -> declined(capture);
            case RETURNED_TO_AGENT -> "The donor came back to you without paying: " + wayBack(capture, lastPrompt);
            case CANCELLED_BY_AGENT -> "You brought the donor back before the card was taken: nothing was charged";
            case ABANDONED -> "The call ended before the card was taken: nothing was charged";
            case FAILED -> "The payment gateway could not be reached: nothing was charged";
            case UNKNOWN -> "The payment is not confirmed yet: it is being checked with the payment gateway, so do not "
                    + "take the card again meanwhile";
            case CANCELLED -> "The card capture was stopped in Cockpit before it finished: check the pledge's payments";
        };
    }

    private static String inProgress(CardCapture capture, DonorStep.Kind lastPrompt, String card) {
        if (lastPrompt == DonorStep.Kind.SECURITY_CODE && capture.entryError() == null
                && capture.maskedCard() != null) {
            return "The payment is being processed: " + card;
        }
        if (capture.declines() > 0) {
            return declined(capture) + ". The donor is entering another card";
        }
        return "The donor is entering their card details";
    }

    private static String succeeded(CardCapture capture, String card) {
        PaymentPath path = capture.paymentPath();
        if (path == PaymentPath.TOKENISE_ONLY) {
            return "Card saved for later payments: " + card;
        }
        if (path == PaymentPath.CHARGE_ONLY || path == null) {
            return "Paid: " + card;
        }
        if (capture.newTokenRef() == null) {
            return "Paid: " + card + ", but the card could not be saved for later payments: an agent admin arranges it "
                    + "with the donor";
        }
        return "Paid: " + card + ", saved for later payments";
    }

    private static String declined(CardCapture capture) {
        DeclineReason reason = capture.declineReason();
        return reason == null ? "The card was declined" : "The card was declined: " + reason(reason);
    }

    static String reason(DeclineReason reason) {
        return switch (reason) {
            case INSUFFICIENT_FUNDS -> "insufficient funds";
            case EXPIRED_CARD -> "the card has expired";
            case INCORRECT_DETAILS -> "the card details were not correct";
            case DECLINED_BY_BANK -> "the bank gave no reason";
            case AUTHENTICATION_REQUIRED -> "the bank wants the donor to confirm the payment, which cannot be done on "
                    + "the phone";
        };
    }

    /** Why the donor left the card entry: {@code ##}, silence, or entries refused one after another. */
    private static String wayBack(CardCapture capture, DonorStep.Kind lastPrompt) {
        String where = prompt(lastPrompt);
        EntryError error = capture.entryError();
        if (error == null) {
            return "they pressed ## during " + where;
        }
        if (error == EntryError.SILENCE) {
            return "they entered nothing during " + where;
        }
        String wrongly = "they entered " + where + " wrongly " + times(capture.failures());
        return error == EntryError.CARD_EXPIRED ? wrongly + " (the card has expired)" : wrongly;
    }

    static String prompt(DonorStep.Kind prompt) {
        if (prompt == null) {
            return "the card details";
        }
        return switch (prompt) {
            case CARD_NUMBER -> "the card number";
            case EXPIRY -> "the expiry date";
            case SECURITY_CODE -> "the security code";
            default -> "the card details";
        };
    }

    private static String times(int count) {
        return switch (count) {
            case 1 -> "once";
            case 2 -> "twice";
            case 3 -> "three times";
            default -> count + " times";
        };
    }

    /** Whom and what: "Jane Donor, £25.00 monthly". */
    public static String donorAndPledge(Pledge pledge, Campaign campaign) {
        return donor(pledge) + ", " + terms(pledge, campaign);
    }

    /** The donor's name, shortened if it would not fit in a task's name. */
    public static String donor(Pledge pledge) {
        String name = pledge.donorName().strip();
        return name.length() <= MAX_DONOR_NAME ? name : name.substring(0, MAX_DONOR_NAME - 1).strip() + "…";
    }

    /** What the donor pledged: "£25.00 monthly", the amount as the campaign's locale writes its currency. */
    public static String terms(Pledge pledge, Campaign campaign) {
        return amount(pledge.amount(), campaign.locale()) + " " + frequency(pledge.frequency());
    }

    /** "£25.00" in en-GB, "25,00 €" in de-DE: the currency's own decimals, the locale's symbols and order. */
    public static String amount(Money money, Locale locale) {
        NumberFormat format = NumberFormat.getCurrencyInstance(locale);
        format.setCurrency(money.currency());
        int decimals = Math.max(0, money.currency().getDefaultFractionDigits());
        format.setMinimumFractionDigits(decimals);
        format.setMaximumFractionDigits(decimals);
        return format.format(money.amount());
    }

    public static String frequency(Frequency frequency) {
        return switch (frequency) {
            case ONE_OFF -> "one-off";
            case WEEKLY -> "weekly";
            case FORTNIGHTLY -> "fortnightly";
            case MONTHLY -> "monthly";
            case QUARTERLY -> "quarterly";
            case ANNUALLY -> "annually";
        };
    }
}
