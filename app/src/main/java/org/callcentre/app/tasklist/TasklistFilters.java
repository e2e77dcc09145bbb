package org.callcentre.app.tasklist;

import static org.callcentre.processes.Groups.ADMIN_OPS;
import static org.callcentre.processes.Groups.AGENTS;
import static org.callcentre.processes.Groups.AGENT_ADMINS;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.callcentre.dialler.Teams;
import org.callcentre.processes.Groups;
import org.callcentre.processes.callback.CallbackProcess;
import org.callcentre.processes.cardcapture.CardCaptureProcess;
import org.callcentre.processes.dialler.OutboundCallProcess;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.EntityTypes;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.task.TaskQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The Tasklist filters each role works from, created at start-up in every profile, each readable by its roles only:
 * <ul>
 * <li>"My calls" (agents): tasks assigned to the user on the call processes (the call, its card capture, a
 * callback);</li>
 * <li>"Follow-ups" (agent admins and admin operations): tasks offered to the back office, such as a card to
 * tokenise with the donor, claimed or not;</li>
 * <li>"Team Evening: callbacks", one per team, readable by the team's engine group only: the callbacks offered to
 * the team (its Call Back Queue, and Call Back Agent callbacks opened to it), claimed or not, and those assigned to
 * its agents.</li>
 * </ul>
 * Role filters name no user and hold no expression: expressions in stored queries are refused
 * ({@code enable-expressions-in-stored-queries}, for CVE-2026-109432), so {@code ${currentUser()}} is not
 * available. "Mine" comes from the engine's task authorizations instead: a user reads only the tasks assigned to
 * them or offered to one of their groups, and the call processes assign each of their tasks to one agent. So in a
 * team's filter each agent sees the team's offered callbacks and their own assigned ones, never a colleague's.
 * <p>
 * A role filter is idempotent: a restart creates only what is missing and leaves a filter an administrator has edited
 * as it is. A team's filter follows its team ({@link Teams.Written}: created, replaced, and at every start): its name,
 * its agents and who reads it are the team's, whatever was edited. Two nodes starting together on an empty database
 * can each create a filter (filter names are not unique in the engine); the next start keeps the one with the
 * smallest id and deletes the others.
 */
@Component
public class TasklistFilters implements SmartInitializingSingleton {

    public static final String MY_CALLS = "My calls";
    public static final String FOLLOW_UPS = "Follow-ups";
    /**
     * A filter of every group's callbacks for all agents, removed at start-up where it exists: each team's own filter
     * shows its callbacks, to its agents only.
     */
    static final String ALL_TEAMS_CALLBACKS = "My team's callbacks";
    /** The filter property that names a team's filter's team (its id): the filter's name follows the team's. */
    static final String TEAM_PROPERTY = "callCentreTeamId";

    private static final Logger log = LoggerFactory.getLogger(TasklistFilters.class);

    private final FilterService filters;
    private final TaskService tasks;
    private final AuthorizationService authorizations;
    private final TransactionTemplate transaction;

    public TasklistFilters(FilterService filters, TaskService tasks, AuthorizationService authorizations,
            TransactionTemplate transaction) {
        this.filters = filters;
        this.tasks = tasks;
        this.authorizations = authorizations;
        this.transaction = transaction;
    }

    @Override
    public void afterSingletonsInstantiated() {
        try {
            transaction.executeWithoutResult(status -> ensureFilters());
        } catch (RuntimeException concurrentStart) {
            log.info("Tasklist filters were being changed by another node; checking them again");
            transaction.executeWithoutResult(status -> ensureFilters());
        }
    }

    private void ensureFilters() {
        Filter myCalls = filter(MY_CALLS, 10, "Your tasks on your calls: the donor you are talking to, a card "
                + "capture in progress, a callback you took", true,
                tasks.createTaskQuery()
                        .processDefinitionKeyIn(OutboundCallProcess.PROCESS_KEY, CardCaptureProcess.PROCESS_KEY,
                                CallbackProcess.PROCESS_KEY)
                        .taskAssigned());
        Filter followUps = filter(FOLLOW_UPS, 30, "Tasks for the back office, such as a card to tokenise with the "
                + "donor", false,
                tasks.createTaskQuery()
                        .taskCandidateGroupIn(List.of(AGENT_ADMINS, ADMIN_OPS))
                        .includeAssignedTasks());
        grantRead(AGENTS, myCalls);
        grantRead(AGENT_ADMINS, followUps);
        grantRead(ADMIN_OPS, followUps);
        filters.createFilterQuery().filterName(ALL_TEAMS_CALLBACKS).list()
                .forEach(retired -> filters.deleteFilter(retired.getId()));
    }

    /** "Team Evening: callbacks": made or brought in step, in the transaction that wrote the team. */
    @EventListener
    public void teamWritten(Teams.Written team) {
        String name = teamFilterName(team.name());
        String group = Groups.team(team.id());
        TaskQuery query = tasks.createTaskQuery().processDefinitionKey(CallbackProcess.PROCESS_KEY);
        if (team.agents().isEmpty()) {
            query.taskCandidateGroup(group).includeAssignedTasks();
        } else {
            query.or()
                    .taskCandidateGroup(group).includeAssignedTasks()
                    .taskAssigneeIn(team.agents().toArray(String[]::new))
                    .endOr();
        }
        List<Filter> existing = teamFilters(team.id());
        existing.stream().skip(1).forEach(duplicate -> filters.deleteFilter(duplicate.getId()));
        Filter filter = existing.isEmpty() ? filters.newTaskFilter(name) : existing.get(0);
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("description", "Callbacks offered to the team " + team.name() + ", claimed or not, and yours");
        properties.put("priority", 20);
        properties.put("refresh", true);
        properties.put(TEAM_PROPERTY, team.id());
        filter.setName(name).setQuery(query).setProperties(properties);
        Filter saved = filters.saveFilter(filter);
        // Read by the team's group, and no one else: another team's agents neither list nor run it.
        for (Authorization grant : authorizations.createAuthorizationQuery()
                .resourceType(Resources.FILTER).resourceId(saved.getId()).list()) {
            if (!group.equals(grant.getGroupId())) {
                authorizations.deleteAuthorization(grant.getId());
            }
        }
        grantRead(group, saved);
    }

    static String teamFilterName(String teamName) {
        return "Team " + teamName + ": callbacks";
    }

    /** The team's filters, oldest first (more than one only after two nodes made it at once). */
    private List<Filter> teamFilters(long teamId) {
        return filters.createFilterQuery().filterResourceType(EntityTypes.TASK).list().stream()
                .filter(filter -> filter.getProperties() != null
                        && filter.getProperties().get(TEAM_PROPERTY) instanceof Number id && id.longValue() == teamId)
                .sorted(Comparator.comparing(Filter::getId)).toList();
    }

    /** The filter of that name: the one there is (duplicates removed), or a new one with this query. */
    private Filter filter(String name, int priority, String description, boolean refresh, TaskQuery query) {
        List<Filter> existing = filters.createFilterQuery().filterName(name).list().stream()
                .sorted(Comparator.comparing(Filter::getId)).toList();
        if (!existing.isEmpty()) {
            existing.stream().skip(1).forEach(duplicate -> filters.deleteFilter(duplicate.getId()));
            return existing.get(0);
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("description", description);
        properties.put("priority", priority);
        // Tasklist reloads the list of a filter with "refresh" by itself, so a new call's task shows without a click.
        properties.put("refresh", refresh);
        Filter filter = filters.newTaskFilter(name).setQuery(query).setProperties(properties);
        return filters.saveFilter(filter);
    }

    private void grantRead(String groupId, Filter filter) {
        Authorization grant = authorizations.createAuthorizationQuery().authorizationType(Authorization.AUTH_TYPE_GRANT)
                .groupIdIn(groupId).resourceType(Resources.FILTER).resourceId(filter.getId()).singleResult();
        if (grant == null) {
            grant = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
            grant.setGroupId(groupId);
            grant.setResource(Resources.FILTER);
            grant.setResourceId(filter.getId());
        } else if (grant.isPermissionGranted(Permissions.READ)) {
            return;
        }
        grant.addPermission(Permissions.READ);
        authorizations.saveAuthorization(grant);
    }
}
