package org.callcentre.ticket;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The tickets' settings.
 *
 * @param triageGroup          the group whose new tickets wait for someone to assign them to the right group
 * @param phoneRegion          where a phone number written without + is read (ISO 3166 alpha-2)
 * @param maxAttachmentBytes   an attachment (a photo by MMS or email) larger than this is not kept
 * @param attachmentTypes      the content types kept as attachments; others are refused and noted on the ticket
 * @param lostCallDays         a group's home counts its team's lost calls of this many days back (until called back)
 */
@ConfigurationProperties("tickets")
public record TicketProperties(@DefaultValue("Info") String triageGroup, @DefaultValue("GB") String phoneRegion,
        @DefaultValue("5242880") long maxAttachmentBytes,
        @DefaultValue({"image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "application/pdf"})
        List<String> attachmentTypes, @DefaultValue("7") int lostCallDays) {

    public TicketProperties {
        if (maxAttachmentBytes < 1) {
            throw new IllegalArgumentException("tickets.max-attachment-bytes must be at least 1");
        }
        if (lostCallDays < 1) {
            throw new IllegalArgumentException("tickets.lost-call-days must be at least 1");
        }
    }
}
