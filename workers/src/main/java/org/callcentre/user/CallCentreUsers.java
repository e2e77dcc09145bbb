package org.callcentre.user;

import static org.callcentre.problem.RefusedException.conflict;
import static org.callcentre.problem.RefusedException.invalid;
import static org.callcentre.problem.RefusedException.notFound;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The call-centre users: engine users (names, email, password) in exactly their role's group, with a profile row in
 * {@code call_centre_user} (role, restriction, device). The engine's identity service joins Spring's transaction, so
 * a change takes effect in the engine and in the profile together or not at all.
 */
public class CallCentreUsers {

    /**
     * Ids the engine takes (its default resource id pattern is letters and digits only), and its webapps and URLs
     * without escaping; lower case, so two users never differ by case alone.
     */
    private static final Pattern ID = Pattern.compile("[a-z0-9]{2,64}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern DEVICE = Pattern.compile("\\+[1-9][0-9]{6,14}|client:[A-Za-z0-9_.-]{1,100}");
    static final int MIN_PASSWORD = 8;

    private final IdentityService identity;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final Clock clock;

    public CallCentreUsers(IdentityService identity, JdbcTemplate jdbc, PlatformTransactionManager transactions,
            Clock clock) {
        this.identity = identity;
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /** The user with this id, if it is a call-centre user. */
    public Optional<CallCentreUser> user(String id) {
        List<Profile> profiles = jdbc.query("select user_id, role, restricted, device, active from call_centre_user "
                + "where user_id = ?", CallCentreUsers::profile, id);
        if (profiles.isEmpty()) {
            return Optional.empty();
        }
        User user = identity.createUserQuery().userId(id).singleResult();
        return user == null ? Optional.empty() : Optional.of(profiles.get(0).with(user));
    }

    /** Every call-centre user, by id. */
    public List<CallCentreUser> users() {
        List<Profile> profiles = jdbc.query("select user_id, role, restricted, device, active from call_centre_user "
                + "order by user_id", CallCentreUsers::profile);
        if (profiles.isEmpty()) {
            return List.of();
        }
        Map<String, User> users = identity.createUserQuery()
                .userIdIn(profiles.stream().map(Profile::userId).toArray(String[]::new)).list().stream()
                .collect(Collectors.toMap(User::getId, Function.identity()));
        return profiles.stream().filter(p -> users.containsKey(p.userId())).map(p -> p.with(users.get(p.userId())))
                .sorted(Comparator.comparing(CallCentreUser::id)).toList();
    }

    /** Creates the engine user, its membership of the role's group and its profile; a taken id is a conflict. */
    public CallCentreUser create(CallCentreUser user, String password) {
        CallCentreUser valid = validate(user);
        if (password == null || password.length() < MIN_PASSWORD) {
            throw invalid("password must have at least " + MIN_PASSWORD + " characters");
        }
        if (!ID.matcher(valid.id()).matches()) {
            throw invalid("id must be 2 to 64 lower-case letters and digits (a-z, 0-9)");
        }
        return transaction.execute(tx -> {
            if (identity.createUserQuery().userId(valid.id()).count() > 0
                    || jdbc.queryForObject("select count(*) from call_centre_user where user_id = ?", Integer.class,
                            valid.id()) > 0) {
                throw conflict("a user with the id " + valid.id() + " already exists");
            }
            User engineUser = identity.newUser(valid.id());
            names(engineUser, valid);
            engineUser.setPassword(password);
            identity.saveUser(engineUser);
            identity.createMembership(valid.id(), valid.role().group());
            Timestamp now = Timestamp.from(clock.instant());
            jdbc.update("insert into call_centre_user (user_id, role, restricted, device, active, created_at, "
                    + "updated_at) values (?, ?, ?, ?, ?, ?, ?)", valid.id(), valid.role().name(), valid.restricted(),
                    valid.device(), valid.active(), now, now);
            return valid;
        });
    }

    /**
     * Replaces the user's names, email, role, restriction, device and whether they are active, and the password when
     * one is given; a new role moves the membership to its group.
     */
    public CallCentreUser edit(CallCentreUser user, String password) {
        CallCentreUser valid = validate(user);
        if (password != null && password.length() < MIN_PASSWORD) {
            throw invalid("password must have at least " + MIN_PASSWORD + " characters");
        }
        return transaction.execute(tx -> {
            CallCentreUser before = user(valid.id()).orElseThrow(() -> notFound("no call-centre user " + valid.id()));
            User engineUser = identity.createUserQuery().userId(valid.id()).singleResult();
            names(engineUser, valid);
            if (password != null) {
                engineUser.setPassword(password);
            }
            identity.saveUser(engineUser);
            if (before.role() != valid.role()) {
                identity.deleteMembership(valid.id(), before.role().group());
            }
            if (identity.createUserQuery().userId(valid.id()).memberOfGroup(valid.role().group()).count() == 0) {
                identity.createMembership(valid.id(), valid.role().group());
            }
            jdbc.update("update call_centre_user set role = ?, restricted = ?, device = ?, active = ?, updated_at = ? "
                    + "where user_id = ?", valid.role().name(), valid.restricted(), valid.device(), valid.active(),
                    Timestamp.from(clock.instant()), valid.id());
            return valid;
        });
    }

    /** Refuses what the engine or a phone could not take; the restriction is kept for Admin Operations only. */
    private static CallCentreUser validate(CallCentreUser user) {
        if (user.id() == null || user.id().isBlank()) {
            throw invalid("id is required");
        }
        if (user.role() == null) {
            throw invalid("role must be one of ADMIN_OPS, AGENT_ADMIN, AGENT");
        }
        if (user.email() == null || user.email().length() > 254 || !EMAIL.matcher(user.email()).matches()) {
            throw invalid("email must be an email address");
        }
        if (user.device() == null || !DEVICE.matcher(user.device()).matches()) {
            throw invalid("device must be an E.164 number (+447700900123) or client:<identity>");
        }
        if (blankOrLong(user.firstName()) || blankOrLong(user.lastName())) {
            throw invalid("firstName and lastName are required, at most 255 characters each");
        }
        return new CallCentreUser(user.id(), user.firstName().strip(), user.lastName().strip(), user.email(),
                user.role(), user.role() == Role.ADMIN_OPS && user.restricted(), user.device(), user.active());
    }

    private static boolean blankOrLong(String name) {
        return name == null || name.isBlank() || name.length() > 255;
    }

    private static void names(User engineUser, CallCentreUser user) {
        engineUser.setFirstName(user.firstName());
        engineUser.setLastName(user.lastName());
        engineUser.setEmail(user.email());
    }

    private record Profile(String userId, Role role, boolean restricted, String device, boolean active) {
        CallCentreUser with(User user) {
            return new CallCentreUser(userId, user.getFirstName(), user.getLastName(), user.getEmail(), role,
                    restricted, device, active);
        }
    }

    private static Profile profile(ResultSet rs, int row) throws SQLException {
        return new Profile(rs.getString("user_id"), Role.valueOf(rs.getString("role")), rs.getBoolean("restricted"),
                rs.getString("device"), rs.getBoolean("active"));
    }
}
