package org.callcentre.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.AppProcess;
import org.callcentre.processes.Groups;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The jar production runs, as {@code package} built it: it holds no emulator, and started with {@code java -jar}
 * and the production profile it has the call centre's roles and their authorizations, no demo user, and nothing
 * listening where the demo run puts the emulators. The only settings given are the ones production demands
 * (ProductionSettingsCheck), as an operator's environment would give them, and the first administrator through
 * {@code camunda.bpm.admin-user}. Production allows H2, so the jar gets a fresh H2 file of its own: never the
 * database of the end-to-end suite, which would have the demo users.
 */
class PackagedJarIT {

    static final String OPERATOR = "ops";
    static final String OPERATOR_PASSWORD = "a-long-operator-passphrase";
    static final String EMULATOR_PACKAGE = "org/callcentre/emulator/";

    static Path jar;
    static int twilioEmulatorPort;
    static int gatewaySimulatorPort;
    static AppProcess app;
    static AgentApi operator;

    @BeforeAll
    static void startTheJarInProduction() throws IOException {
        jar = AppProcess.packagedJar();
        twilioEmulatorPort = AppProcess.freePort();
        gatewaySimulatorPort = AppProcess.freePort();
        app = AppProcess.startJar("packaged-production", jar, List.of(
                "--spring.profiles.active=production",
                "--spring.datasource.url=" + RunWithoutProfileTest.freshDatabase(),
                "--camunda.bpm.admin-user.id=" + OPERATOR,
                "--camunda.bpm.admin-user.password=" + OPERATOR_PASSWORD,
                "--app.public-base-url=https://calls.example.org",
                "--app.card-vault.key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
                "--app.card-vault.key-id=k1",
                "--twilio.account-sid=AC" + "1".repeat(32),
                "--twilio.auth-token=the-operators-own-twilio-auth-token",
                "--payment.gateway.base-url=https://gateway.example.org",
                "--payment.gateway.secret-key=sk_live_operators_own",
                // Where the emulators would listen if anything could start them.
                "--app.emulators.twilio-port=" + twilioEmulatorPort,
                "--app.emulators.gateway-port=" + gatewaySimulatorPort));
        operator = new AgentApi(app.base(), OPERATOR, OPERATOR_PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theJarHoldsNoEmulator() throws IOException {
        List<String> emulatorEntries = new ArrayList<>();
        List<String> libraries = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            file.stream().map(JarEntry::getName).forEach(name -> {
                if (name.contains(EMULATOR_PACKAGE)) {
                    emulatorEntries.add(name);
                }
                if (name.startsWith("BOOT-INF/lib/")) {
                    libraries.add(name.substring("BOOT-INF/lib/".length()));
                }
            });
        }
        assertThat(libraries).as("the jar's libraries").anyMatch(name -> name.startsWith("workers-"))
                .noneMatch(name -> name.startsWith("emulators-"));
        assertThat(emulatorEntries).isEmpty();
    }

    @Test
    void theRolesAndTheirAuthorizationsExist() {
        for (String group : List.of(Groups.AGENTS, Groups.AGENT_ADMINS, Groups.ADMIN_OPS)) {
            AgentApi.Reply found = operator.get("/engine-rest/group?id=" + group);
            assertThat(found.status()).as(found.toString()).isEqualTo(200);
            assertThat(found.json()).as(group).hasSize(1);
            AgentApi.Reply grants = operator.get("/engine-rest/authorization?groupIdIn=" + group);
            assertThat(grants.status()).as(grants.toString()).isEqualTo(200);
            assertThat(grants.json()).as("the authorizations of " + group).isNotEmpty();
        }
        AgentApi.Reply adminOps = operator.get("/engine-rest/group?member=" + OPERATOR);
        assertThat(adminOps.json()).extracting(group -> group.get("id").asText()).contains(Groups.ADMIN_OPS);
    }

    @Test
    void thereIsNoDemoUser() {
        AgentApi.Reply users = operator.get("/engine-rest/user");
        assertThat(users.status()).as(users.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode user : users.json()) {
            ids.add(user.get("id").asText());
        }
        assertThat(ids).as("only the configured administrator").containsExactly(OPERATOR);
        assertThat(new AgentApi(app.base(), "admin", "demo").get("/engine-rest/user").status()).isEqualTo(401);
    }

    @Test
    void nothingListensOnTheEmulatorPorts() {
        assertThat(operator.get("/health").body()).as("the app itself answers").isEqualTo("OK");
        assertThat(listens(twilioEmulatorPort)).as("Twilio emulator port").isFalse();
        assertThat(listens(gatewaySimulatorPort)).as("gateway simulator port").isFalse();
    }

    private static boolean listens(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException nothing) {
            return false;
        }
    }
}
