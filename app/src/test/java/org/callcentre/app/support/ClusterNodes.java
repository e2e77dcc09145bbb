package org.callcentre.app.support;

import static org.junit.jupiter.api.Assumptions.abort;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;

import org.callcentre.emulator.gateway.GatewaySimulator;
import org.callcentre.emulator.twilio.TwilioEmulator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * What the cluster tests give the nodes of the packaged app they run behind {@link Balancer}: a PostgreSQL database
 * of their own, whatever the build's database, and the settings every node shares as docs/cluster.md lists them.
 */
public final class ClusterNodes {

    public static final String PG_HOST = setting("CALLCENTRE_TEST_PG", "127.0.0.1:5432");
    public static final String OPERATOR = "ops";
    public static final String OPERATOR_PASSWORD = "a-long-operator-passphrase";
    /** Every node has the same card vault key, as docs/cluster.md asks. */
    public static final String CARD_VAULT_KEY = Base64.getEncoder().encodeToString(
            "cluster-test-master-key-32-bytes".getBytes(StandardCharsets.US_ASCII));
    public static final String AGENT_CALLER_ID = "+15005550006";

    private ClusterNodes() {
    }

    /**
     * The database {@code name}, dropped and created afresh; aborts the test when PostgreSQL is unreachable.
     */
    public static JdbcTemplate freshDatabase(String name) throws SQLException {
        Connection admin;
        try {
            admin = DriverManager.getConnection(url("postgres"), "postgres", "");
        } catch (SQLException unreachable) {
            abort("PostgreSQL at " + PG_HOST + " is unreachable: " + unreachable.getMessage());
            return null;
        }
        try (admin; Statement sql = admin.createStatement()) {
            sql.execute("drop database if exists " + name + " with (force)");
            sql.execute("create database " + name);
        }
        return new JdbcTemplate(new DriverManagerDataSource(url(name), "postgres", ""));
    }

    public static void dropDatabase(String name) throws SQLException {
        try (Connection admin = DriverManager.getConnection(url("postgres"), "postgres", "");
                Statement sql = admin.createStatement()) {
            sql.execute("drop database if exists " + name + " with (force)");
        }
    }

    public static String url(String database) {
        return "jdbc:postgresql://" + PG_HOST + "/" + database;
    }

    /**
     * The settings of a node named {@code node}, the same on every node but the name: the database, the balancer's
     * URL as the public one (Twilio signs the URL it called), the card vault's key, and the emulated Twilio and
     * gateway. The job executor's lock time and the gateway's timeout are the caller's to add.
     */
    public static List<String> settings(String node, String database, String balancerUrl, TwilioEmulator twilio,
            GatewaySimulator gateway) {
        return List.of(
                "--spring.datasource.url=" + url(database),
                "--spring.datasource.username=postgres",
                "--camunda.bpm.admin-user.id=" + OPERATOR,
                "--camunda.bpm.admin-user.password=" + OPERATOR_PASSWORD,
                "--app.public-base-url=" + balancerUrl,
                "--app.card-vault.key=" + CARD_VAULT_KEY,
                "--app.card-vault.key-id=k1",
                "--twilio.api-base-url=" + twilio.baseUrl(),
                "--twilio.account-sid=" + twilio.accountSid(),
                "--twilio.auth-token=" + twilio.authToken(),
                "--dialler.agent-caller-id=" + AGENT_CALLER_ID,
                "--payment.gateway.base-url=" + gateway.baseUrl(),
                "--payment.gateway.secret-key=" + GatewaySimulator.DEFAULT_SECRET_KEY,
                "--camunda.bpm.generic-properties.properties.hostname=" + node);
    }

    private static String setting(String name, String fallback) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? fallback : value;
    }
}
