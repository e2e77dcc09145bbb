package org.callcentre.cardvault;

/**
 * A card as the gateway needs it. Lives only in memory between the vault and the gateway call; its
 * {@link #toString()} shows the masked card, so an accidental log line leaks nothing.
 *
 * @param securityCode null once erased (after authorisation)
 */
public record CardDetails(String number, int expiryMonth, int expiryYear, String securityCode) {

    public CardBrand brand() {
        return CardBrand.of(number);
    }

    public String masked() {
        return CardBrand.mask(number);
    }

    @Override
    public String toString() {
        return "CardDetails[" + masked() + "]";
    }
}
