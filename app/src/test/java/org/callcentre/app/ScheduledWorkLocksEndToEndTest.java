package org.callcentre.app;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.lang.reflect.Method;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.callcentre.app.config.ScheduledWorkLocks;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.support.Mails;
import org.callcentre.ticket.Tickets;
import org.callcentre.ticket.mail.MailFiling;
import org.callcentre.ticket.mail.MailIntake;
import org.callcentre.ticket.mail.TicketMailProperties;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import jakarta.mail.MessagingException;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

/**
 * Scheduled work that is not a Camunda job runs on one node of the cluster at a time: each node takes the task's row
 * in {@code shedlock} on the shared database first, and a node that finds it held skips its turn. Another node is a
 * second lock provider and mailbox poll on the app's database, beside the app itself.
 */
class ScheduledWorkLocksEndToEndTest extends EndToEndTest {

    private static final String MAIL_LOCK = "ticket-mail-intake";

    @Autowired
    private ApplicationContext context;
    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private PlatformTransactionManager transactions;
    @Autowired
    private ScheduledWorkLocks locks;
    @Autowired
    private MailIntake intake;
    @Autowired
    private MailFiling filing;
    @Autowired
    private TicketMailProperties properties;
    @Autowired
    private Tickets tickets;

    @Test
    void whileAnotherNodePollsTheMailboxTheAppSkipsItsPollAndPollsOnceTheLockIsReleased() throws Exception {
        String address = freshAddress("held");
        Mails.from("Hal Held", address).subject("Held " + address).text("Polled by the other node").send(mail);
        Polls polls = new Polls();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (Node other = new Node(polls, entered, release)) {
            Future<?> otherPoll = thread.submit(other.intake::scheduledPoll);
            assertThat(entered.await(WAIT.toSeconds(), SECONDS)).as("the other node polls").isTrue();

            LockRow held = mailLock();
            assertThat(held.lockedBy()).isEqualTo(other.name);
            assertThat(held.heldFor()).as("lockAtMostFor while the poll runs").isEqualTo(Duration.ofMinutes(15));

            // The app's turn: it neither waits for the lock nor polls.
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> intake.scheduledPoll());
            assertThat(ticketsOf(address)).isEmpty();
            assertThat(Mails.unread(mail, "Held " + address)).isTrue();
            assertThat(mailLock()).isEqualTo(held);

            release.countDown();
            otherPoll.get(WAIT.toSeconds(), SECONDS);
        } finally {
            release.countDown();
            thread.shutdown();
        }
        assertThat(polls.entries.get()).isOne();
        assertThat(ticketsOf(address)).as("filed by the other node").hasSize(1);
        LockRow released = mailLock();
        assertThat(released.heldFor()).as("released when the poll ended").isLessThan(Duration.ofMinutes(1));

        String next = freshAddress("next");
        Mails.from("Ned Next", next).subject("Next " + next).text("Polled by the app").send(mail);
        intake.scheduledPoll();

        assertThat(ticketsOf(next)).as("filed by the app").hasSize(1);
        assertThat(mailLock().lockedBy()).isEqualTo(locks.node());
        assertThat(mailLock().heldFor()).isLessThan(Duration.ofMinutes(1));
    }

    @Test
    void twoNodesPollingOverAndOverNeverPollAtOnce() throws Exception {
        for (int i = 0; i < 3; i++) {
            String address = freshAddress("race");
            Mails.from("Rae Race", address).subject("Race " + address).text("One of many").send(mail);
        }
        Polls polls = new Polls();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Node first = new Node(polls, null, null); Node second = new Node(polls, null, null)) {
            List<Future<?>> turns = new ArrayList<>();
            for (Node node : List.of(first, second)) {
                turns.add(threads.submit(() -> {
                    start.await();
                    for (int turn = 0; turn < 15; turn++) {
                        node.intake.scheduledPoll();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> turn : turns) {
                turn.get(WAIT.toSeconds() * 3, SECONDS);
            }
        } finally {
            threads.shutdown();
        }
        assertThat(polls.mostAtOnce.get()).as("polls at once").isOne();
        assertThat(polls.entries.get()).isPositive();
        assertThat(mailLock().heldFor()).isLessThan(Duration.ofMinutes(1));
    }

    @Test
    void everyScheduledMethodTakesItsLock() {
        Map<String, String> locked = new TreeMap<>();
        List<String> unlocked = new ArrayList<>();
        for (String name : context.getBeanDefinitionNames()) {
            Class<?> type = context.getType(name, false);
            if (type == null || !type.getName().startsWith("org.callcentre.")) {
                continue;
            }
            Class<?> user = ClassUtils.getUserClass(type);
            for (Method method : ReflectionUtils.getUniqueDeclaredMethods(user)) {
                if (!AnnotatedElementUtils.hasAnnotation(method, Scheduled.class)) {
                    continue;
                }
                String task = user.getSimpleName() + "." + method.getName();
                SchedulerLock lock = AnnotatedElementUtils.findMergedAnnotation(method, SchedulerLock.class);
                if (lock == null) {
                    unlocked.add(task);
                    continue;
                }
                assertThat(locked.put(lock.name(), task)).as("the lock name " + lock.name()).isNull();
                assertThat(AopUtils.isAopProxy(context.getBean(name))).as(task + " is locked by a proxy").isTrue();
            }
        }
        assertThat(locked).containsOnlyKeys("lead-readiness-sweep", "inbound-dispatch-sweep",
                "orphaned-capture-sweep", "recording-resume-sweep", "card-vault-sweep", MAIL_LOCK);
        assertThat(unlocked).isEmpty();

        // The frequent sweeps have run since the app started, each under its lock.
        await().atMost(WAIT).until(() -> jdbc.queryForObject(
                "select count(*) from shedlock where name in ('inbound-dispatch-sweep', 'recording-resume-sweep')",
                Integer.class) == 2);
    }

    /** The mailbox poll's lock row. */
    private LockRow mailLock() {
        return jdbc.queryForObject("select locked_by, locked_at, lock_until from shedlock where name = ?",
                (row, i) -> new LockRow(row.getString("locked_by"), instant(row.getTimestamp("locked_at")),
                        instant(row.getTimestamp("lock_until"))), MAIL_LOCK);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp.toInstant();
    }

    private List<Long> ticketsOf(String address) {
        return jdbc.queryForList("select id from ticket where end_user_email = ? order by id", Long.class, address);
    }

    private static String freshAddress(String prefix) {
        return CallCentreStaff.freshId(prefix) + "@example.org";
    }

    record LockRow(String lockedBy, Instant lockedAt, Instant lockUntil) {
        Duration heldFor() {
            return Duration.between(lockedAt, lockUntil);
        }
    }

    /** The polls of the test's nodes: how many entered, and the most that were in at once. */
    static final class Polls {
        final AtomicInteger entries = new AtomicInteger();
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
    }

    /** A mailbox poll that counts itself in {@link Polls}, and may wait inside until released. */
    static class CountingIntake extends MailIntake {

        private final Polls polls;
        private final CountDownLatch entered;
        private final CountDownLatch release;

        CountingIntake(TicketMailProperties properties, MailFiling filing, PlatformTransactionManager transactions,
                long maxAttachmentBytes, Polls polls, CountDownLatch entered, CountDownLatch release) {
            super(properties.imap(), filing, transactions, maxAttachmentBytes);
            this.polls = polls;
            this.entered = entered;
            this.release = release;
        }

        @Override
        public Polled poll() throws MessagingException {
            polls.entries.incrementAndGet();
            polls.mostAtOnce.accumulateAndGet(polls.inside.incrementAndGet(), Math::max);
            try {
                if (entered != null) {
                    entered.countDown();
                    if (!release.await(WAIT.toSeconds() * 3, SECONDS)) {
                        throw new IllegalStateException("the test never released the poll");
                    }
                }
                return super.poll();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                polls.inside.decrementAndGet();
            }
        }
    }

    /**
     * Another node of the cluster, as far as the mailbox poll goes: the app's lock configuration on a lock provider
     * of its own (its own {@code locked_by}) over the app's database, and a poll of its own of the same mailbox.
     */
    final class Node implements AutoCloseable {

        final AnnotationConfigApplicationContext nodeContext = new AnnotationConfigApplicationContext();
        final MailIntake intake;
        final String name;

        Node(Polls polls, CountDownLatch entered, CountDownLatch release) {
            CountingIntake counting = new CountingIntake(properties, filing, transactions,
                    tickets.properties().maxAttachmentBytes(), polls, entered, release);
            nodeContext.register(NodeLocks.class);
            nodeContext.registerBean(ScheduledWorkLocks.class, () -> new ScheduledWorkLocks(jdbc, transactions));
            nodeContext.registerBean(MailIntake.class, () -> counting);
            nodeContext.refresh();
            intake = nodeContext.getBean(MailIntake.class);
            name = nodeContext.getBean(ScheduledWorkLocks.class).node();
        }

        @Override
        public void close() {
            nodeContext.close();
        }
    }

    /** As {@link CallCentreApplication} enables the locks. */
    @Configuration(proxyBeanMethods = false)
    @EnableSchedulerLock(defaultLockAtMostFor = "PT10M")
    static class NodeLocks {
    }
}
