package org.callcentre.user;

import java.util.Optional;

/** The call-centre users: engine users with a profile row in {@code call_centre_user}. */
public class CallCentreUsers {

    /** The user with this id, if it is a call-centre user. */
    public Optional<CallCentreUser> user(String id) {
        throw new UnsupportedOperationException("not built yet");
    }
}
