package org.callcentre.app.user;

import org.callcentre.user.CallCentreUser;
import org.callcentre.user.Role;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The JSON shapes of the users API. Passwords go in, never out. */
public final class UserApi {

    private UserApi() {
    }

    public record NewUser(
            @NotBlank @Size(max = 64) String id,
            @NotNull @Size(min = 8, max = 200) String password,
            @NotBlank @Size(max = 255) String firstName,
            @NotBlank @Size(max = 255) String lastName,
            @NotBlank @Size(max = 254) String email,
            @NotNull Role role,
            // Only for ADMIN_OPS: a restricted one creates and edits agents only (default false).
            Boolean restricted,
            @NotBlank @Size(max = 128) String device) {

        CallCentreUser user() {
            return new CallCentreUser(id, firstName, lastName, email, role, Boolean.TRUE.equals(restricted), device);
        }
    }

    /**
     * Replaces what a user is; the password only when given. {@code active}: false deactivates the user (they can no
     * longer sign in, and recordings of their calls are not listed), true activates them again; left out, it stays.
     */
    public record UserEdit(
            @Size(min = 8, max = 200) String password,
            @NotBlank @Size(max = 255) String firstName,
            @NotBlank @Size(max = 255) String lastName,
            @NotBlank @Size(max = 254) String email,
            @NotNull Role role,
            Boolean restricted,
            @NotBlank @Size(max = 128) String device,
            Boolean active) {

        CallCentreUser user(String id, boolean activeBefore) {
            return new CallCentreUser(id, firstName, lastName, email, role, Boolean.TRUE.equals(restricted), device,
                    active == null ? activeBefore : active);
        }
    }

    /** The answer to a created user: its id (the Location header has its URL). */
    public record CreatedUser(String id) {
    }

    public record UserView(String id, String firstName, String lastName, String email, Role role, boolean restricted,
            String device, Long teamId, boolean active) {

        static UserView of(CallCentreUser user, Long teamId) {
            return new UserView(user.id(), user.firstName(), user.lastName(), user.email(), user.role(),
                    user.restricted(), user.device(), teamId, user.active());
        }
    }
}
