package org.callcentre.app.tasklist;

import static org.callcentre.processes.Groups.ADMIN_OPS;
import static org.callcentre.processes.Groups.AGENTS;
import static org.callcentre.processes.Groups.AGENT_ADMINS;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.callcentre.processes.cardcapture.CardCaptureProcess;
import org.callcentre.processes.dialler.OutboundCallProcess;
import org.camunda.bpm.engine.AuthorizationService;
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
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The Tasklist filters each role works from, created at start-up in every profile, each readable by its roles only:
 * <ul>
 * <li>"My calls" (agents): tasks assigned to the user on the call processes (the call, its card capture, a
 * callback);</li>
 * <li>"My team's callbacks" (agents): callbacks offered to a group, the user's team's or all agents';</li>
 * <li>"Follow-ups" (agent admins and admin operations): tasks offered to the back office, such as a card to
 * tokenise with the donor, claimed or not.</li>
 * </ul>
 * A filter names no user and holds no expression: expressions in stored queries are refused
 * ({@code enable-expressions-in-stored-queries}, for CVE-2026-109432), so {@code ${currentUser()}} is not
 * available. "Mine" comes from the engine's task authorizations instead: a user reads only the tasks assigned to
 * them or offered to one of their groups, and the call processes assign each of their tasks to one agent.
 * <p>
 * Idempotent: a restart creates only what is missing and leaves a filter an administrator has edited as it is. Two
 * nodes starting together on an empty database can each create a filter of the same name (filter names are not
 * unique in the engine); the next start keeps the one with the smallest id and deletes the others.
 */
@Component
public class TasklistFilters implements SmartInitializingSingleton {

    public static final String MY_CALLS = "My calls";
    public static final String MY_TEAMS_CALLBACKS = "My team's callbacks";
    public static final String FOLLOW_UPS = "Follow-ups";

    /** The key of the callback process, which a later model brings: its filter can exist before it does. */
    static final String CALLBACK_PROCESS_KEY = "callback";

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
                                CALLBACK_PROCESS_KEY)
                        .taskAssigned());
        Filter teamCallbacks = filter(MY_TEAMS_CALLBACKS, 20, "Callbacks offered to your team or to all agents",
                false,
                tasks.createTaskQuery()
                        .processDefinitionKey(CALLBACK_PROCESS_KEY)
                        .withCandidateGroups());
        Filter followUps = filter(FOLLOW_UPS, 30, "Tasks for the back office, such as a card to tokenise with the "
                + "donor", false,
                tasks.createTaskQuery()
                        .taskCandidateGroupIn(List.of(AGENT_ADMINS, ADMIN_OPS))
                        .includeAssignedTasks());
        grantRead(AGENTS, myCalls);
        grantRead(AGENTS, teamCallbacks);
        grantRead(AGENT_ADMINS, followUps);
        grantRead(ADMIN_OPS, followUps);
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
