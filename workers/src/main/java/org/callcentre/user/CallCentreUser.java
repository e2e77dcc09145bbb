package org.callcentre.user;

/**
 * A call-centre user: the engine user's names and email, with the role, restriction and device from the
 * application's own table.
 *
 * @param restricted only meaningful for {@link Role#ADMIN_OPS}: a restricted one creates and edits agents only
 * @param device     where the user's phone rings: an E.164 number or {@code client:<identity>}
 */
public record CallCentreUser(String id, String firstName, String lastName, String email, Role role,
        boolean restricted, String device) {
}
