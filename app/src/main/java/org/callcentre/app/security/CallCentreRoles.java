package org.callcentre.app.security;

import static org.callcentre.processes.Groups.ADMIN_OPS;
import static org.callcentre.processes.Groups.AGENTS;
import static org.callcentre.processes.Groups.AGENT_ADMINS;

import java.util.List;

import org.callcentre.processes.callback.CallbackProcess;
import org.callcentre.processes.cardcapture.CardCaptureProcess;
import org.callcentre.processes.dialler.OutboundCallProcess;
import org.callcentre.processes.inbound.InboundCallProcess;
import org.callcentre.processes.recording.RecordingArchiveProcess;
import org.callcentre.processes.recording.RecordingRestoreProcess;
import org.callcentre.processes.ticket.TicketProcess;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.Group;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The call centre's roles, in every profile: the groups {@code agents}, {@code agentadmins} and {@code adminops},
 * what each may do in the engine and the webapps, and the configured administrator's membership of admin
 * operations. Created once the engine is built and before the web server takes requests, so no request meets an
 * engine without roles. Idempotent: a restart adds only what is missing and never takes away a permission an
 * administrator granted.
 * <p>
 * What these grants leave out is deliberate: no role has a permission on process variables. Users see and set
 * them only through their own tasks' forms ({@link ProcessVariableGuard}).
 */
@Component
public class CallCentreRoles implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(CallCentreRoles.class);

    private final IdentityService identity;
    private final AuthorizationService authorizations;
    private final TransactionTemplate transaction;
    private final String adminUser;

    public CallCentreRoles(IdentityService identity, AuthorizationService authorizations,
            TransactionTemplate transaction, @Value("${camunda.bpm.admin-user.id:}") String adminUser) {
        this.identity = identity;
        this.authorizations = authorizations;
        this.transaction = transaction;
        this.adminUser = adminUser;
    }

    @Override
    public void afterSingletonsInstantiated() {
        try {
            transaction.executeWithoutResult(status -> ensureRoles());
        } catch (RuntimeException concurrentStart) {
            // Two nodes of a cluster starting on an empty database can both try to create a group: the one that
            // lost finds the other's rows the second time.
            log.info("Roles were being created by another node; checking them again");
            transaction.executeWithoutResult(status -> ensureRoles());
        }
    }

    private void ensureRoles() {
        group(AGENTS, "Agents");
        group(AGENT_ADMINS, "Agent admins");
        group(ADMIN_OPS, "Admin operations");
        if (!adminUser.isBlank() && identity.createUserQuery().userId(adminUser).count() == 1
                && identity.createUserQuery().userId(adminUser).memberOfGroup(ADMIN_OPS).count() == 0) {
            identity.createMembership(adminUser, ADMIN_OPS);
        }
        // Each role's Tasklist filters, and who reads them, are TasklistFilters'.
        for (String group : List.of(AGENTS, AGENT_ADMINS, ADMIN_OPS)) {
            grant(group, Resources.APPLICATION, "tasklist", Permissions.ACCESS);
            grant(group, Resources.PROCESS_DEFINITION, CardCaptureProcess.PROCESS_KEY, Permissions.READ);
            grant(group, Resources.PROCESS_DEFINITION, OutboundCallProcess.PROCESS_KEY, Permissions.READ);
            grant(group, Resources.PROCESS_DEFINITION, CallbackProcess.PROCESS_KEY, Permissions.READ);
            // The ticket model's Tasklist forms; which tickets' tasks a user sees is their ticket groups' (each
            // group's members are an engine group, the tasks' candidates).
            grant(group, Resources.PROCESS_DEFINITION, TicketProcess.PROCESS_KEY, Permissions.READ);
        }
        // Cockpit without variables: READ_INSTANCE_VARIABLE and READ_HISTORY_VARIABLE are not granted, and the
        // engine enforces them (EngineAuthorizationSettings).
        grant(AGENT_ADMINS, Resources.APPLICATION, "cockpit", Permissions.ACCESS);
        grant(AGENT_ADMINS, Resources.PROCESS_INSTANCE, "*", Permissions.READ);
        grant(AGENT_ADMINS, Resources.PROCESS_DEFINITION, CardCaptureProcess.PROCESS_KEY,
                ProcessDefinitionPermissions.READ_INSTANCE, ProcessDefinitionPermissions.READ_HISTORY);
        grant(AGENT_ADMINS, Resources.PROCESS_DEFINITION, OutboundCallProcess.PROCESS_KEY,
                ProcessDefinitionPermissions.READ_INSTANCE, ProcessDefinitionPermissions.READ_HISTORY);
        grant(AGENT_ADMINS, Resources.PROCESS_DEFINITION, CallbackProcess.PROCESS_KEY,
                ProcessDefinitionPermissions.READ_INSTANCE, ProcessDefinitionPermissions.READ_HISTORY);
        // Agent admins read and write inbound calls: they watch the calls in Cockpit (no variables either).
        grant(AGENT_ADMINS, Resources.PROCESS_DEFINITION, InboundCallProcess.PROCESS_KEY, Permissions.READ,
                ProcessDefinitionPermissions.READ_INSTANCE, ProcessDefinitionPermissions.READ_HISTORY);
        grant(ADMIN_OPS, Resources.APPLICATION, "*", Permissions.ALL);
        // Admin Operations work the recording restore tasks, and see the daily archive's runs in Cockpit.
        grant(ADMIN_OPS, Resources.PROCESS_DEFINITION, RecordingRestoreProcess.PROCESS_KEY, Permissions.READ);
        grant(ADMIN_OPS, Resources.PROCESS_DEFINITION, RecordingArchiveProcess.PROCESS_KEY, Permissions.READ,
                ProcessDefinitionPermissions.READ_INSTANCE, ProcessDefinitionPermissions.READ_HISTORY);
    }

    private void group(String id, String name) {
        if (identity.createGroupQuery().groupId(id).count() == 0) {
            Group group = identity.newGroup(id);
            group.setName(name);
            group.setType("WORKFLOW");
            identity.saveGroup(group);
        }
    }

    /** Grants what is missing of {@code permissions}; what the group already has stays. */
    private void grant(String groupId, Resource resource, String resourceId, Permission... permissions) {
        Authorization grant = authorizations.createAuthorizationQuery().authorizationType(Authorization.AUTH_TYPE_GRANT)
                .groupIdIn(groupId).resourceType(resource).resourceId(resourceId).singleResult();
        if (grant == null) {
            grant = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
            grant.setGroupId(groupId);
            grant.setResource(resource);
            grant.setResourceId(resourceId);
        } else if (List.of(permissions).stream().allMatch(grant::isPermissionGranted)) {
            return;
        }
        for (Permission permission : permissions) {
            grant.addPermission(permission);
        }
        authorizations.saveAuthorization(grant);
    }
}
