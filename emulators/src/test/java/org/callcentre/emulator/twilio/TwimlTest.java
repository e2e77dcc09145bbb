package org.callcentre.emulator.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.callcentre.emulator.twilio.Twiml.TwimlException;
import org.callcentre.emulator.twilio.Twiml.Verb;
import org.junit.jupiter.api.Test;

class TwimlTest {

    @Test
    void readsVerbsTheirAttributesAndTheirText() throws Exception {
        Verb root = Twiml.parse("""
                <?xml version="1.0" encoding="UTF-8"?>
                <Response>
                  <Gather action="https://app.example/digits?step=2&amp;kind=EXPIRY" finishOnKey="#" timeout="10">
                    <Say language="en-GB">Your payment will be 25 pounds
                        monthly.</Say>
                    <!-- a comment is not text -->
                    <Say>Please enter &lt;your&gt; card number</Say>
                  </Gather>
                  <Pause length="1"/>
                  <Dial><Conference>bench-1</Conference></Dial>
                </Response>
                """);

        assertThat(root.name()).isEqualTo("Response");
        assertThat(root.children()).extracting(Verb::name).containsExactly("Gather", "Pause", "Dial");
        Verb gather = root.children().get(0);
        assertThat(gather.attributes()).isEqualTo(Map.of(
                "action", "https://app.example/digits?step=2&kind=EXPIRY", "finishOnKey", "#", "timeout", "10"));
        assertThat(gather.children()).extracting(Verb::text)
                .containsExactly("Your payment will be 25 pounds monthly.", "Please enter <your> card number");
        assertThat(gather.children().get(0).attr("language")).isEqualTo("en-GB");
        assertThat(gather.text()).as("an element's text includes its children's, as DOM's getTextContent")
                .isEqualTo("Your payment will be 25 pounds monthly. Please enter <your> card number");
        assertThat(root.children().get(1).attr("length")).isEqualTo("1");
        assertThat(root.children().get(1).children()).isEmpty();
        assertThat(root.children().get(2).children().get(0).text()).isEqualTo("bench-1");
        assertThat(root.children().get(2).text()).isEqualTo("bench-1");
    }

    @Test
    void cdataIsText() throws Exception {
        Verb root = Twiml.parse("<Response><Say><![CDATA[Fish & chips]]></Say></Response>");

        assertThat(root.children()).extracting(Verb::text).isEqualTo(List.of("Fish & chips"));
    }

    @Test
    void refusesWhatIsNotTwiml() {
        assertThatThrownBy(() -> Twiml.parse("   ")).isInstanceOf(TwimlException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> Twiml.parse("<Reply><Say>hi</Say></Reply>"))
                .isInstanceOf(TwimlException.class).hasMessageContaining("must be <Response>, not <Reply>");
        assertThatThrownBy(() -> Twiml.parse("<Response><Say>hi</Response>"))
                .isInstanceOf(TwimlException.class).hasMessageContaining("not well-formed");
        assertThatThrownBy(() -> Twiml.parse("<Response><Say>&nbsp;</Say></Response>"))
                .as("an entity no DTD declares").isInstanceOf(TwimlException.class);
        assertThatThrownBy(() -> Twiml.parse("<Response></Response><Response></Response>"))
                .isInstanceOf(TwimlException.class);
    }

    @Test
    void refusesADocumentTypeDeclaration_soNoEntityIsExpanded() {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE Response [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
                <Response><Say>&secret;</Say></Response>
                """;

        assertThatThrownBy(() -> Twiml.parse(xxe)).isInstanceOf(TwimlException.class);
    }
}
