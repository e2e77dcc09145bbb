package org.callcentre.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.tasklist.TasklistFilters;
import org.callcentre.processes.Groups;
import org.callcentre.ticket.TicketGroups;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.impl.persistence.entity.AuthorizationEntity;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The roles are created at start-up on whatever database the app finds: a restart, or a second node starting on the
 * same database, runs the same start-up again and must find everything there, creating nothing twice (a duplicate
 * grant would also break the next start, which reads each grant as a single row).
 */
@Order(1)
class CallCentreRolesEndToEndTest extends EndToEndTest {

    private static final List<String> ROLES = List.of(Groups.AGENTS, Groups.AGENT_ADMINS, Groups.ADMIN_OPS);

    @Autowired
    CallCentreRoles roles;
    @Autowired
    DemoUsers demoUsers;
    @Autowired
    IdentityService identity;
    @Autowired
    AuthorizationService authorizations;
    @Autowired
    FilterService filters;
    @Autowired
    TaskService tasks;
    @Autowired
    TasklistFilters tasklistFilters;
    @Autowired
    TransactionTemplate transaction;
    @Autowired
    TicketGroups ticketGroups;
    @Value("${camunda.bpm.admin-user.id:}")
    String adminUser;

    @Test
    void startingAgainOnTheSameDatabaseCreatesNothingTwice() {
        List<String> before = rolesAsStored();
        assertThat(identity.createGroupQuery().groupIdIn(ROLES.toArray(String[]::new)).count()).isEqualTo(ROLES.size());
        assertThat(identity.createUserQuery().userId(adminUser).memberOfGroup(Groups.ADMIN_OPS).count()).isOne();
        assertThat(before).filteredOn(row -> row.startsWith("grant")).isNotEmpty().doesNotHaveDuplicates();

        List<String> filtersBefore = filterNames();
        assertThat(filtersBefore).contains(TasklistFilters.MY_CALLS, TasklistFilters.FOLLOW_UPS)
                .doesNotHaveDuplicates();

        // What the next start runs: this node's roles and filters again, another node's, and the demo users.
        roles.afterSingletonsInstantiated();
        new CallCentreRoles(identity, authorizations, transaction, adminUser).afterSingletonsInstantiated();
        tasklistFilters.afterSingletonsInstantiated();
        new TasklistFilters(filters, tasks, authorizations, transaction, ticketGroups).afterSingletonsInstantiated();
        demoUsers.onApplicationReady(null);

        assertThat(rolesAsStored()).isEqualTo(before);
        assertThat(filterNames()).isEqualTo(filtersBefore);
    }

    private List<String> filterNames() {
        return filters.createFilterQuery().list().stream().map(Filter::getName).sorted().toList();
    }

    /**
     * The groups, their members and the grants start-up makes (tasks' own grants, which the engine adds as tasks are
     * created, are left out), one line each, sorted.
     */
    private List<String> rolesAsStored() {
        Stream<String> groups = identity.createGroupQuery().list().stream()
                .map(group -> "group " + group.getId() + " " + group.getName() + " " + group.getType());
        Stream<String> members = identity.createGroupQuery().groupIdIn(ROLES.toArray(String[]::new)).list().stream()
                .map(Group::getId)
                .flatMap(group -> identity.createUserQuery().memberOfGroup(group).list().stream()
                        .map(user -> "member " + group + " " + user.getId()));
        Set<Integer> startUpResources = Set.of(Resources.APPLICATION.resourceType(),
                Resources.PROCESS_DEFINITION.resourceType(), Resources.FILTER.resourceType(),
                Resources.PROCESS_INSTANCE.resourceType());
        Stream<String> grants = authorizations.createAuthorizationQuery()
                .authorizationType(Authorization.AUTH_TYPE_GRANT).groupIdIn(ROLES.toArray(String[]::new)).list().stream()
                .filter(grant -> startUpResources.contains(grant.getResourceType()))
                .map(grant -> "grant " + grant.getGroupId() + " " + grant.getResourceType() + " "
                        + grant.getResourceId() + " " + ((AuthorizationEntity) grant).getPermissions());
        return Stream.of(groups, members, grants).flatMap(stream -> stream).sorted().toList();
    }
}
