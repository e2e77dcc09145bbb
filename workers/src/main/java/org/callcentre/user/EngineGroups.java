package org.callcentre.user;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;

/** Keeps an engine group (a team's, a ticket group's) and its memberships as the application's rows say. */
public final class EngineGroups {

    private EngineGroups() {
    }

    /** The group exists with this name and type, and {@code members} are its members and no one else. */
    public static void sync(IdentityService identity, String groupId, String type, String name,
            Collection<String> members) {
        Group group = identity.createGroupQuery().groupId(groupId).singleResult();
        if (group == null) {
            group = identity.newGroup(groupId);
            group.setType(type);
        }
        group.setName(name);
        identity.saveGroup(group);
        Set<String> current = new LinkedHashSet<>();
        identity.createUserQuery().memberOfGroup(groupId).list().forEach(user -> current.add(user.getId()));
        for (String member : current) {
            if (!members.contains(member)) {
                identity.deleteMembership(member, groupId);
            }
        }
        for (String member : members) {
            if (!current.contains(member)) {
                identity.createMembership(member, groupId);
            }
        }
    }
}
