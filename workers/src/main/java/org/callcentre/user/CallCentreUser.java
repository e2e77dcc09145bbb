package org.callcentre.user;

/**
 * A call-centre user: the engine user's names and email, with the role, restriction and device from the
 * application's own table.
 *
 * @param restricted only meaningful for {@link Role#ADMIN_OPS}: a restricted one creates and edits agents only
 * @param device     where the user's phone rings: an E.164 number or {@code client:<identity>}
 * @param active     false once deactivated: the user cannot sign in, and recordings of their calls are not listed
 */
public record CallCentreUser(String id, String firstName, String lastName, String email, Role role,
        boolean restricted, String device, boolean active) {

    /** An active user. */
    public CallCentreUser(String id, String firstName, String lastName, String email, Role role, boolean restricted,
            String device) {
        this(id, firstName, lastName, email, role, restricted, device, true);
    }
}
