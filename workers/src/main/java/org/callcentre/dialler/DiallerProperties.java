package org.callcentre.dialler;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The dialler's settings.
 *
 * @param lockIdleMinutes          a lead's lock expires this long after its holder's last activity on it
 * @param nextLeadCountdownSeconds how long the agent console waits after a call's outcome before it presses Next
 *                                 Lead for the agent (who can pause it); 0: it never does
 */
@ConfigurationProperties("dialler")
public record DiallerProperties(@DefaultValue("15") int lockIdleMinutes,
        @DefaultValue("20") int nextLeadCountdownSeconds) {

    @ConstructorBinding
    public DiallerProperties {
        if (lockIdleMinutes < 1) {
            throw new IllegalArgumentException("dialler.lock-idle-minutes must be at least 1");
        }
        if (nextLeadCountdownSeconds < 0) {
            throw new IllegalArgumentException("dialler.next-lead-countdown-seconds must be 0 (off) or more");
        }
    }

    /** The settings with this lock time and the default countdown. */
    public DiallerProperties(int lockIdleMinutes) {
        this(lockIdleMinutes, 20);
    }
}
