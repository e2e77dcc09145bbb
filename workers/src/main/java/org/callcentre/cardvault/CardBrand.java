package org.callcentre.cardvault;

/** Card schemes, recognised from the leading digits, and the one way a card may be shown: masked. */
public enum CardBrand {
    VISA("Visa"), MASTERCARD("Mastercard"), AMEX("American Express"), DISCOVER("Discover"), OTHER("Card");

    private final String displayName;

    CardBrand(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    public int securityCodeLength() {
        return this == AMEX ? 4 : 3;
    }

    public static CardBrand of(String number) {
        if (number.startsWith("34") || number.startsWith("37")) {
            return AMEX;
        }
        if (number.startsWith("4")) {
            return VISA;
        }
        if (number.length() >= 4) {
            int two = Integer.parseInt(number.substring(0, 2));
            int four = Integer.parseInt(number.substring(0, 4));
            if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) {
                return MASTERCARD;
            }
            if (number.startsWith("6011") || number.startsWith("65")) {
                return DISCOVER;
            }
        }
        return OTHER;
    }

    /** "Visa ending 4242": brand and last four digits, nothing more (PCI DSS 3.4.1 allows at most these). */
    public static String mask(String number) {
        return of(number).displayName() + " ending " + lastFour(number);
    }

    public static String lastFour(String number) {
        return number.substring(number.length() - 4);
    }

    /** The Luhn (mod 10) check every card number passes. */
    public static boolean passesLuhn(String digits) {
        int sum = 0;
        boolean doubleIt = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubleIt) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }
}
