package org.callcentre.dialler;

import org.callcentre.user.Role;

/** Who asks: the signed-in user and the role the request is judged by. */
public record Caller(String userId, Role role) {

    public boolean isAgent() {
        return role == Role.AGENT;
    }
}
