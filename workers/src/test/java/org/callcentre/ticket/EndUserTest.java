package org.callcentre.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.callcentre.problem.RefusedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The end-user as people and mail headers write them: the same person written twice is the same end-user (the
 * one-open-ticket rule compares these values), and what cannot be one is refused before anything is written.
 */
class EndUserTest {

    @Test
    void anAddressIsTrimmedAndLowerCasedAndANumberMadeE164() {
        EndUser endUser = EndUser.of("  Jane Donor ", " Jane.Donor@Example.ORG ", "020 7946 0018", "GB");

        assertThat(endUser).isEqualTo(new EndUser("Jane Donor", "jane.donor@example.org", "+442079460018"));
    }

    @Test
    void theSamePersonWrittenDifferentlyIsTheSameEndUser() {
        assertThat(EndUser.of(null, "JANE@EXAMPLE.ORG", "+44 20 7946 0018", "GB"))
                .isEqualTo(EndUser.of(null, "jane@example.org", "02079460018", "GB"))
                .isEqualTo(EndUser.of("", "jane@example.org ", "(020) 7946-0018", "GB"));
    }

    @Test
    void aNumberIsReadInTheRegionUnlessItSaysItsCountry() {
        assertThat(EndUser.of(null, null, "(415) 555-2671", "US").phone()).isEqualTo("+14155552671");
        assertThat(EndUser.of(null, null, "+1 415 555 2671", "GB").phone()).isEqualTo("+14155552671");
    }

    @Test
    void blankFieldsAreNone() {
        EndUser byMail = EndUser.of("   ", "a@example.org", "  ", "GB");
        assertThat(byMail.name()).isNull();
        assertThat(byMail.phone()).isNull();
        EndUser byPhone = EndUser.of(null, "", "07911 123456", "GB");
        assertThat(byPhone.email()).isNull();
        assertThat(byPhone.phone()).isEqualTo("+447911123456");
    }

    @Test
    void theDisplayNameIsTheNameElseTheAddressElseTheNumber() {
        assertThat(EndUser.of("Jane", "a@example.org", "07911 123456", "GB").displayName()).isEqualTo("Jane");
        assertThat(EndUser.of(null, "a@example.org", "07911 123456", "GB").displayName()).isEqualTo("a@example.org");
        assertThat(EndUser.of(null, null, "07911 123456", "GB").displayName()).isEqualTo("+447911123456");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jane", "jane@", "@example.org", "jane@example", "jane@@example.org",
        "jane doe@example.org", "<jane@example.org>", "Jane <jane@example.org>", "jane@example.org, bob@example.org", "jane@exa mple.org",
        "\"jane\"@example.org"})
    void whatIsNotAnAddressIsRefused(String email) {
        assertRefused(() -> EndUser.of("Jane", email, null, "GB"), "is not an email address");
    }

    @Test
    void anAddressLongerThanTheStandardAllowsIsRefused() {
        String longest = "a".repeat(64) + "@" + "b".repeat(185) + ".org";
        assertThat(longest).hasSize(254);
        assertThat(EndUser.of(null, longest, null, "GB").email()).isEqualTo(longest);
        assertRefused(() -> EndUser.of(null, "a" + longest, null, "GB"), "is not an email address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"12", "not a number", "020 7946", "+44 20 7946 0018 0018 0018"})
    void whatIsNotAPhoneNumberIsRefused(String phone) {
        assertRefused(() -> EndUser.of("Jane", null, phone, "GB"), "is not a phone number");
    }

    @Test
    void anEndUserNobodyCanReachIsRefused() {
        assertRefused(() -> EndUser.of("Jane", null, null, "GB"), "an email address or a phone number is required");
        assertRefused(() -> EndUser.of("Jane", " ", "\t", "GB"), "an email address or a phone number is required");
    }

    @Test
    void aNameOfMoreThanTwoHundredCharactersIsRefused() {
        assertThat(EndUser.of("n".repeat(200), "a@example.org", null, "GB").name()).hasSize(200);
        assertRefused(() -> EndUser.of("n".repeat(201), "a@example.org", null, "GB"), "name is at most 200");
    }

    private static void assertRefused(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(RefusedException.class,
                refused -> assertThat(refused.reason()).isEqualTo(RefusedException.Reason.INVALID))
                .hasMessageContaining(message);
    }
}
