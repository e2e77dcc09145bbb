package org.callcentre.ticket.mail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MailHtmlTest {

    @Test
    void sanitisingKeepsWhatAReaderSeesAndDropsScriptsHandlersAndStyles() {
        String clean = MailHtml.sanitise("<p style=\"color:red\" onclick=\"x()\">Hi <b>there</b></p>"
                + "<script>steal()</script><img src=\"https://example.org/a.png\" onerror=\"x()\">"
                + "<a href=\"javascript:x()\">bad</a><a href=\"https://example.org\">good</a>"
                + "<iframe src=\"x\"></iframe>");

        assertThat(clean).isEqualTo("<p>Hi <b>there</b></p><img src=\"https://example.org/a.png\"><a>bad</a>"
                + "<a href=\"https://example.org\">good</a>");
        assertThat(MailHtml.sanitise(null)).isNull();
    }

    @Test
    void theTextHasALineForEachBlockAndABlankLineBetweenParagraphs() {
        assertThat(MailHtml.text("<p>Hello Tina,</p><p>Tours:<br>3 May</p><ul><li>one</li><li>two</li></ul>end"))
                .isEqualTo("Hello Tina,\n\nTours:\n3 May\n\none\ntwo\n\nend");
        assertThat(MailHtml.shows("<p> </p>")).isFalse();
        assertThat(MailHtml.shows("<img src=\"https://example.org/a.png\">")).isTrue();
    }

    @Test
    void placeholdersAreBracketedWordsOtherThanTheTicketMarker() {
        assertThat(MailHtml.placeholders("Your pick-up [Ticket #12]", "On [Enter date] at [Enter time], [Enter date]"
                + " see note [1] and [ ] and a[b"))
                .containsExactly("[Enter date]", "[Enter time]");
        assertThat(MailHtml.placeholders("Done [ticket #3]", null)).isEmpty();
    }

    @Test
    void theSubjectsMarkerNamesTheTicket() {
        assertThat(MailHtml.ticketNumber("Re: Your sofa [Ticket #42]")).isEqualTo(42L);
        assertThat(MailHtml.ticketNumber("Fwd: [ticket #7] and [Ticket #8]")).isEqualTo(8L);
        assertThat(MailHtml.ticketNumber("Ticket 42")).isNull();
        assertThat(MailHtml.ticketNumber(null)).isNull();
        assertThat(MailHtml.marker(5)).isEqualTo("[Ticket #5]");
    }
}
