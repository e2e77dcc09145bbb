package org.callcentre.app.telephony;

import java.util.Locale;
import java.util.Optional;

import org.springframework.context.NoSuchMessageException;
import org.springframework.context.support.ResourceBundleMessageSource;

/**
 * What an IVR says, looked up in a capability's message bundle (say {@code i18n/card-capture}) and then in the
 * shared {@code i18n/telephony} bundle (currency names and the like), in a caller's locale. A key missing in that
 * locale falls back to the bundle's default file (never to the server's locale, so a German server does not
 * speak German to an English campaign). Placeholders use {@link java.text.MessageFormat}, and an apostrophe is
 * written doubled in every message, with or without placeholders.
 */
public class IvrMessages {

    public static final String SHARED_BUNDLE = "i18n/telephony";

    private final ResourceBundleMessageSource messages = new ResourceBundleMessageSource();

    /** {@code bundle}: the capability's bundle, searched before the shared one. */
    public IvrMessages(String bundle) {
        messages.setBasenames(bundle, SHARED_BUNDLE);
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
        messages.setAlwaysUseMessageFormat(true);
    }

    /** @throws NoSuchMessageException if no bundle has the key */
    public String text(Locale locale, String key, Object... args) {
        return messages.getMessage(key, args, locale);
    }

    /** The text, or empty if no bundle has the key or it is blank (nothing to say). */
    public Optional<String> optionalText(Locale locale, String key, Object... args) {
        try {
            String text = messages.getMessage(key, args, locale);
            return text.isBlank() ? Optional.empty() : Optional.of(text);
        } catch (NoSuchMessageException missing) {
            return Optional.empty();
        }
    }

    /** These messages spoken in one locale. */
    public Speech in(Locale locale) {
        return new Speech(this, locale);
    }
}
