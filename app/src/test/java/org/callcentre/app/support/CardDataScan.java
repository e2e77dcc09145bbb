package org.callcentre.app.support;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Card data to look for, and how. A card number is found anywhere. A security code is found in the database and
 * the answers as a number of its own (not a fraction of a timestamp, nor part of a longer number or id: a random
 * capture id can hold a 4-digit code as one of its hyphen-separated groups, as CI once found 7319). A TRACE log
 * and an expiry date are full of numbers of their own (content lengths, durations, line numbers, coordinates in
 * the deployed models' XML), so there a short value is found only where it stands as a value: after a card
 * field's name, as a quoted or engine variable value, as an argument in Spring's handler arguments trace, or as
 * all of a column.
 */
public record CardDataScan(List<String> numbers, List<String> securityCodes, List<String> expiryDates,
        List<Pattern> storedCodes, List<Pattern> codeValues, List<Pattern> expiryValues) {

    public CardDataScan(List<String> numbers, List<String> securityCodes, List<String> expiryDates) {
        this(numbers, securityCodes, expiryDates, securityCodes.stream()
                .map(code -> Pattern.compile(numberOfItsOwn(code) + "|" + asValue(code))).toList(),
                securityCodes.stream().map(code -> Pattern.compile(asValue(code))).toList(),
                expiryDates.stream().map(date -> Pattern.compile(asValue(date))).toList());
    }

    /** The database's values and the app's answers. */
    public void scan(String text, String where, List<String> findings) {
        scanNumbers(text, where, findings);
        find(text, securityCodes, storedCodes, "security code", where, findings);
        find(text, expiryDates, expiryValues, "expiry date", where, findings);
    }

    /** The app's log file. */
    public void scanLog(String text, String where, List<String> findings) {
        scanNumbers(text, where, findings);
        find(text, securityCodes, codeValues, "security code", where, findings);
        find(text, expiryDates, expiryValues, "expiry date", where, findings);
    }

    /**
     * Every row of every table of {@code schema} ({@code public} on PostgreSQL, {@code PUBLIC} on H2), each value
     * that can hold card data ({@link #readable}) scanned as the database's. Answers the number of tables read.
     */
    public int scanDatabase(Connection connection, String schema, List<String> findings) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        List<String> names = new ArrayList<>();
        try (ResultSet rs = meta.getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME"));
            }
        }
        for (String table : names) {
            try (Statement sql = connection.createStatement();
                    ResultSet rows = sql.executeQuery("select * from " + quote(table))) {
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    for (int i = 1; i <= columns; i++) {
                        String column = rows.getMetaData().getColumnName(i);
                        String value = readable(column, rows.getObject(i));
                        if (value != null) {
                            scan(value, "table " + table + " column " + column, findings);
                        }
                    }
                }
            }
        }
        return names.size();
    }

    private void scanNumbers(String text, String where, List<String> findings) {
        for (String number : numbers) {
            if (text.contains(number)) {
                findings.add("card number ending " + number.substring(number.length() - 4) + " in " + where);
            }
        }
    }

    private static void find(String text, List<String> values, List<Pattern> patterns, String what, String where,
            List<String> findings) {
        for (int i = 0; i < values.size(); i++) {
            if (patterns.get(i).matcher(text).find()) {
                findings.add(what + " " + values.get(i) + " in " + where);
            }
        }
    }

    private static String numberOfItsOwn(String value) {
        return "(?<![0-9A-Za-z.:-])" + value + "(?![0-9A-Za-z-])";
    }

    private static String asValue(String value) {
        return // Digits=1230, Digits:[1230], "cvc":"737", card[exp_year]=[2030], securityCode=737
                "\\b(?i:digits|cvc|cvv|csc|security_?code|exp\\w*|card\\w*|pan)\\W{1,6}" + value + "(?![0-9])"
                        // "1230" as a JSON value or list element
                        + "|[:\\[,]\\s?\\\\?[\"']" + value + "\\\\?[\"']"
                        // an engine variable's value as a JSON number
                        + "|\"value\"\\s*:\\s*" + value + "(?![0-9])"
                        // Spring's handler arguments trace: [captureId, step, EXPIRY, 1230, #]
                        + "|Arguments: \\[[^\\n]*(?<=[\\[ ])" + value + "(?=[,\\]])"
                        // all of a column
                        + "|^\\s*" + value + "\\s*$";
    }

    /**
     * A column's value as text to scan, or null if it cannot hold card data: dates, and numbers outside the
     * engine's variable value columns ({@code LONG_}, {@code DOUBLE_}). A task that lasted 737 ms, or a pledge of
     * 7.37, is not a security code; a variable set to the number 737 would be.
     */
    public static String readable(String column, Object value) throws SQLException {
        if (value == null) {
            return null;
        }
        if (value instanceof Number && !column.equalsIgnoreCase("LONG_") && !column.equalsIgnoreCase("DOUBLE_")) {
            return null;
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        if (value instanceof java.sql.Blob blob) {
            return new String(blob.getBytes(1, (int) blob.length()), StandardCharsets.ISO_8859_1);
        }
        if (value instanceof java.sql.Clob clob) {
            return clob.getSubString(1, (int) clob.length());
        }
        if (value instanceof java.util.Date || value instanceof java.time.temporal.Temporal) {
            return null;
        }
        return value.toString();
    }

    private static String quote(String table) {
        return "\"" + table.replace("\"", "\"\"") + "\"";
    }
}
