package org.callcentre.dialler;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The dialler's settings.
 *
 * @param lockIdleMinutes a lead's lock expires this long after its holder's last activity on it
 */
@ConfigurationProperties("dialler")
public record DiallerProperties(@DefaultValue("15") int lockIdleMinutes) {

    public DiallerProperties {
        if (lockIdleMinutes < 1) {
            throw new IllegalArgumentException("dialler.lock-idle-minutes must be at least 1");
        }
    }
}
