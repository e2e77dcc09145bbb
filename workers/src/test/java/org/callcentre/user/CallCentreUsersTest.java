package org.callcentre.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.callcentre.problem.RefusedException;
import org.callcentre.processes.Groups;
import org.callcentre.support.OnEachDatabase;
import org.callcentre.support.StoreDatabase;
import org.callcentre.support.StoreEngine;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

class CallCentreUsersTest {

    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");

    private StoreDatabase database;
    private IdentityService identity;
    private CallCentreUsers users;

    @BeforeEach
    void open(StoreDatabase database) {
        this.database = database;
        identity = StoreEngine.emptyIdentities(database, Groups.AGENTS, Groups.AGENT_ADMINS, Groups.ADMIN_OPS);
        users = new CallCentreUsers(identity, database.jdbc(), database.transaction().getTransactionManager(),
                Clock.fixed(T0, ZoneOffset.UTC));
    }

    @AfterAll
    static void closeEngines() {
        StoreEngine.closeAll();
    }

    @OnEachDatabase
    void aUserIsAnEngineUserInTheRolesGroupWithAProfile() {
        CallCentreUser ann = agent("ann");

        users.create(ann, "correct horse");

        assertThat(users.user("ann")).contains(ann);
        assertThat(identity.checkPassword("ann", "correct horse")).isTrue();
        assertThat(groupsOf("ann")).containsExactly(Groups.AGENTS);
        assertThat(database.jdbc().queryForObject("select role from call_centre_user where user_id = 'ann'",
                String.class)).isEqualTo("AGENT");
        assertThat(users.users()).containsExactly(ann);
    }

    @OnEachDatabase
    void aTakenIdIsAConflictAndChangesNothing() {
        users.create(agent("ann"), "correct horse");
        CallCentreUser other = new CallCentreUser("ann", "Other", "Person", "other@example.org", Role.AGENT_ADMIN,
                false, "client:other");

        assertThatThrownBy(() -> users.create(other, "another password"))
                .isInstanceOfSatisfying(RefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RefusedException.Reason.CONFLICT));

        assertThat(users.user("ann")).contains(agent("ann"));
        assertThat(identity.checkPassword("ann", "correct horse")).isTrue();
        assertThat(groupsOf("ann")).containsExactly(Groups.AGENTS);
    }

    @OnEachDatabase
    void whatTheEngineOrAPhoneCannotTakeIsRefused() {
        assertInvalid(agent("A"), "correct horse", "id must be");
        assertInvalid(agent("ann smith"), "correct horse", "id must be");
        assertInvalid(agent("ann-smith"), "correct horse", "id must be");
        assertInvalid(agent("ann"), "short", "password must have at least 8");
        assertInvalid(new CallCentreUser("ann", "Ann", "Agent", "not-an-email", Role.AGENT, false, "client:ann"),
                "correct horse", "email");
        assertInvalid(new CallCentreUser("ann", "Ann", "Agent", "ann@example.org", Role.AGENT, false, "07700900123"),
                "correct horse", "device");
        assertInvalid(new CallCentreUser("ann", "Ann", "Agent", "ann@example.org", Role.AGENT, false, "client:"),
                "correct horse", "device");
        assertInvalid(new CallCentreUser("ann", "Ann", "Agent", "ann@example.org", null, false, "client:ann"),
                "correct horse", "role");
        assertInvalid(new CallCentreUser("ann", " ", "Agent", "ann@example.org", Role.AGENT, false, "client:ann"),
                "correct horse", "firstName");

        assertThat(identity.createUserQuery().count()).isZero();
        assertThat(database.jdbc().queryForObject("select count(*) from call_centre_user", Integer.class)).isZero();
    }

    @OnEachDatabase
    void anE164DeviceIsTaken() {
        CallCentreUser ann = new CallCentreUser("ann", "Ann", "Agent", "ann@example.org", Role.AGENT, false,
                "+447700900123");

        users.create(ann, "correct horse");

        assertThat(users.user("ann")).contains(ann);
    }

    @OnEachDatabase
    void aUserIsActiveUntilDeactivatedAndCanBeActivatedAgain() {
        users.create(agent("ann"), "correct horse");
        assertThat(users.user("ann")).hasValueSatisfying(ann -> assertThat(ann.active()).isTrue());

        CallCentreUser inactive = new CallCentreUser("ann", "Ann", "Agent", "ann@example.org", Role.AGENT, false,
                "client:ann", false);
        users.edit(inactive, null);
        assertThat(users.user("ann")).contains(inactive);
        assertThat(users.users()).filteredOn(user -> user.id().equals("ann")).singleElement()
                .satisfies(ann -> assertThat(ann.active()).isFalse());
        assertThat(database.jdbc().queryForObject("select active from call_centre_user where user_id = 'ann'",
                Boolean.class)).isFalse();

        users.edit(agent("ann"), null);
        assertThat(users.user("ann")).hasValueSatisfying(ann -> assertThat(ann.active()).isTrue());
    }

    @OnEachDatabase
    void aNewRoleMovesTheMembershipAndThePasswordStaysUnlessGiven() {
        users.create(agent("ann"), "correct horse");
        CallCentreUser promoted = new CallCentreUser("ann", "Ann", "Admin", "ann@example.net", Role.AGENT_ADMIN, false,
                "+447700900123");

        users.edit(promoted, null);

        assertThat(users.user("ann")).contains(promoted);
        assertThat(groupsOf("ann")).containsExactly(Groups.AGENT_ADMINS);
        assertThat(identity.checkPassword("ann", "correct horse")).isTrue();

        users.edit(promoted, "battery staple");
        assertThat(identity.checkPassword("ann", "battery staple")).isTrue();
        assertThat(identity.checkPassword("ann", "correct horse")).isFalse();
    }

    @OnEachDatabase
    void onlyAdminOperationsUsersAreRestricted() {
        CallCentreUser restrictedAgent = new CallCentreUser("ann", "Ann", "Agent", "ann@example.org", Role.AGENT, true,
                "client:ann");
        CallCentreUser restrictedAdmin = new CallCentreUser("bob", "Bob", "Ops", "bob@example.org", Role.ADMIN_OPS,
                true, "client:bob");

        users.create(restrictedAgent, "correct horse");
        users.create(restrictedAdmin, "correct horse");

        assertThat(users.user("ann")).get().extracting(CallCentreUser::restricted).isEqualTo(false);
        assertThat(users.user("bob")).contains(restrictedAdmin);
        assertThat(groupsOf("bob")).containsExactly(Groups.ADMIN_OPS);
    }

    @OnEachDatabase
    void editingAnUnknownUserIsNotFound() {
        assertThatThrownBy(() -> users.edit(agent("ann"), null)).isInstanceOfSatisfying(RefusedException.class,
                e -> assertThat(e.reason()).isEqualTo(RefusedException.Reason.NOT_FOUND));
        assertThat(users.user("ann")).isEmpty();
    }

    @OnEachDatabase
    void aFailureHalfWayLeavesNeitherTheEngineUserNorTheProfile() {
        // Without the group the membership cannot be written: the engine user saved before it must go too.
        identity.deleteGroup(Groups.AGENT_ADMINS);
        CallCentreUser admin = new CallCentreUser("sam", "Sam", "Supervisor", "sam@example.org", Role.AGENT_ADMIN,
                false, "client:sam");

        assertThatThrownBy(() -> users.create(admin, "correct horse")).isNotInstanceOf(RefusedException.class);

        assertThat(identity.createUserQuery().userId("sam").count()).isZero();
        assertThat(database.jdbc().queryForObject("select count(*) from call_centre_user", Integer.class)).isZero();
    }

    private void assertInvalid(CallCentreUser user, String password, String message) {
        assertThatThrownBy(() -> users.create(user, password)).isInstanceOfSatisfying(RefusedException.class, e -> {
            assertThat(e.reason()).isEqualTo(RefusedException.Reason.INVALID);
            assertThat(e.getMessage()).contains(message);
        });
    }

    private java.util.List<String> groupsOf(String user) {
        return identity.createGroupQuery().groupMember(user).list().stream().map(Group::getId).toList();
    }

    private static CallCentreUser agent(String id) {
        return new CallCentreUser(id, "Ann", "Agent", id.replace(' ', '.') + "@example.org", Role.AGENT, false,
                "client:" + id.replace(' ', '.'));
    }
}
