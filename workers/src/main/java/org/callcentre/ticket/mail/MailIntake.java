package org.callcentre.ticket.mail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;

import org.eclipse.angus.mail.imap.IMAPFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.FlagTerm;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

/**
 * Reads the mailbox ({@code tickets.mail.imap.*}) every {@code tickets.mail.poll} and files each unread message
 * ({@link MailFiling}): one transaction files it and records it as seen; only after that commits is it marked
 * {@code \Seen} on the server. A crash between the two leaves it unread, and the next poll finds it recorded and
 * only marks it. A message whose filing fails is left unread (bodies are read with {@code BODY.PEEK}) and filed on a
 * later poll. The scheduled poll runs on one node of the cluster at a time; were two polls ever to meet (a direct
 * call of {@link #poll}), the seen row's key still decides who files a message.
 */
public class MailIntake {

    private static final Logger log = LoggerFactory.getLogger(MailIntake.class);
    /** At most this many messages a poll; the rest wait for the next. */
    static final int MAX_PER_POLL = 500;
    /** A message up to this size is fetched whole with its batch and parsed here; a larger one part by part. */
    static final int WHOLE_MESSAGE_BYTES = 8 * 1024 * 1024;
    private static final String TIMEOUT_MILLIS = "30000";

    /** What a poll did: messages filed, found already filed (only marked read), and left unread to try again. */
    public record Polled(int filed, int alreadyFiled, int failed) {
    }

    private final TicketMailProperties.Imap imap;
    private final MailFiling filing;
    private final TransactionTemplate transactions;
    private final long maxAttachmentBytes;
    private final ReentrantLock polling = new ReentrantLock();

    public MailIntake(TicketMailProperties.Imap imap, MailFiling filing, PlatformTransactionManager transactions,
            long maxAttachmentBytes) {
        this.imap = imap;
        this.filing = filing;
        this.transactions = new TransactionTemplate(transactions);
        this.maxAttachmentBytes = maxAttachmentBytes;
    }

    /**
     * Under the cluster's lock: a node whose turn comes while another polls skips this turn. A poll of up to
     * {@value #MAX_PER_POLL} messages takes minutes at most: fifteen cover it, and are as long as a node that dies
     * mid-poll holds up the others (the lock is kept alive while a longer poll runs). Released at the end of the poll
     * (no lockAtLeastFor): each node then polls on its own schedule, one after another, and mail is only read sooner.
     */
    @Scheduled(fixedDelayString = "${tickets.mail.poll:PT1H}", initialDelayString = "${tickets.mail.poll:PT1H}")
    @SchedulerLock(name = "ticket-mail-intake", lockAtMostFor = "PT15M", lockAtLeastFor = "PT0S")
    public void scheduledPoll() {
        try {
            Polled polled = poll();
            if (polled.filed() + polled.failed() > 0) {
                log.info("Mail: {} message(s) filed, {} left unread to try again", polled.filed(), polled.failed());
            }
        } catch (MessagingException | RuntimeException unreachable) {
            log.warn("Mail: the mailbox {} on {} could not be read; trying again at the next poll: {}",
                    imap.username(), imap.host(), unreachable.toString());
        }
    }

    /** Reads and files the unread messages now (one poll at a time in this JVM; the cluster's lock is not taken). */
    public Polled poll() throws MessagingException {
        polling.lock();
        try (Store store = session().getStore(imap.ssl() ? "imaps" : "imap")) {
            store.connect(imap.host(), imap.port(), imap.username(), imap.password());
            Folder folder = store.getFolder(imap.folder());
            folder.open(Folder.READ_WRITE);
            try {
                return fileUnread(folder);
            } finally {
                folder.close(false);
            }
        } finally {
            polling.unlock();
        }
    }

    private Polled fileUnread(Folder folder) throws MessagingException {
        Message[] unread = folder.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false));
        int count = Math.min(unread.length, MAX_PER_POLL);
        Message[] batch = Arrays.copyOf(unread, count);
        // One FETCH for the whole batch: each message's size and Message-ID, and the messages themselves (up to
        // the size kept whole), so filing a message needs no more round trips to the server.
        FetchProfile profile = new FetchProfile();
        profile.add(UIDFolder.FetchProfileItem.UID);
        profile.add(FetchProfile.Item.FLAGS);
        profile.add(FetchProfile.Item.SIZE);
        profile.add("Message-ID");
        folder.fetch(batch, profile);
        List<Message> whole = new ArrayList<>();
        for (Message message : batch) {
            if (message.getSize() <= WHOLE_MESSAGE_BYTES) {
                whole.add(message);
            }
        }
        FetchProfile bodies = new FetchProfile();
        bodies.add(IMAPFolder.FetchProfileItem.MESSAGE);
        folder.fetch(whole.toArray(Message[]::new), bodies);
        List<Message> read = new ArrayList<>();
        int filed = 0;
        int alreadyFiled = 0;
        int failed = 0;
        for (Message message : batch) {
            String key = key(folder, message);
            try {
                if (Boolean.TRUE.equals(transactions.execute(status -> filing.seen(key)))) {
                    read.add(message);
                    alreadyFiled++;
                    continue;
                }
                // A copy parsed here from the fetched message; a larger message is read part by part from the server.
                MimeMessage local = message.getSize() <= WHOLE_MESSAGE_BYTES
                        ? new MimeMessage((MimeMessage) message) : (MimeMessage) message;
                IncomingMail mail = IncomingMail.read(local, maxAttachmentBytes);
                MailFiling.Filed outcome = transactions.execute(status -> filing.file(key, mail));
                read.add(message);
                filed++;
                log.debug("Mail {}: {} (ticket {})", key, outcome.outcome(), outcome.ticketNumber());
            } catch (DuplicateKeyException filedElsewhere) {
                read.add(message);
                alreadyFiled++;
            } catch (MessagingException | RuntimeException notFiled) {
                // Neither the body nor the sender is logged: only which message and why.
                log.warn("Mail {}: not filed, left unread to try again at the next poll: {}", key,
                        notFiled.getClass().getSimpleName() + ": " + firstLine(notFiled.getMessage()));
                keepUnread(message);
                failed++;
            }
        }
        // Marked read together once filed: a crash before this leaves them unread, and the next poll finds each
        // one's seen row and only marks it.
        if (!read.isEmpty()) {
            folder.setFlags(read.toArray(Message[]::new), new Flags(Flags.Flag.SEEN), true);
        }
        return new Polled(filed, alreadyFiled, failed);
    }

    /** The Message-ID, or the folder, UIDVALIDITY and UID of a message without one. */
    private String key(Folder folder, Message message) throws MessagingException {
        String messageId = IncomingMail.messageId(IncomingMail.header(message, "Message-ID"));
        if (messageId != null && messageId.length() <= 500) {
            return messageId;
        }
        UIDFolder uids = (UIDFolder) folder;
        return "imap:" + imap.username() + "/" + folder.getFullName() + "/" + uids.getUIDValidity() + "/"
                + uids.getUID(message);
    }

    private static void keepUnread(Message message) {
        try {
            message.setFlag(Flags.Flag.SEEN, false);
        } catch (MessagingException | RuntimeException unreachable) {
            // The server is gone: it never marked the message either, as bodies are only peeked at.
        }
    }

    private Session session() {
        String protocol = imap.ssl() ? "imaps" : "imap";
        Properties settings = new Properties();
        settings.put("mail.store.protocol", protocol);
        // Reading a body must not mark the message read: only a committed filing does.
        settings.put("mail." + protocol + ".peek", "true");
        settings.put("mail." + protocol + ".connectiontimeout", TIMEOUT_MILLIS);
        settings.put("mail." + protocol + ".timeout", TIMEOUT_MILLIS);
        settings.put("mail." + protocol + ".writetimeout", TIMEOUT_MILLIS);
        return Session.getInstance(settings);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.lines().findFirst().orElse("");
        return line.length() <= 300 ? line : line.substring(0, 300);
    }
}
