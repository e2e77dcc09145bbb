package org.callcentre.app.support;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;

/** Engine users made by a test for itself. */
public final class Users {

    private Users() {
    }

    /** Creates the user (password {@link EndToEndTest#PASSWORD}) if missing, in {@code groupId} if given. */
    public static void ensure(IdentityService identity, String id, String groupId) {
        if (identity.createUserQuery().userId(id).count() == 0) {
            User user = identity.newUser(id);
            user.setFirstName(id);
            user.setLastName("Test");
            user.setPassword(EndToEndTest.PASSWORD);
            identity.saveUser(user);
            if (groupId != null) {
                identity.createMembership(id, groupId);
            }
        }
    }
}
