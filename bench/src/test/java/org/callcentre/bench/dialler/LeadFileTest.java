package org.callcentre.bench.dialler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import org.junit.jupiter.api.Test;

class LeadFileTest {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    @Test
    void aMillionLeadsOverFourListsWithTheSecondRepeatingOneInTwentyOfTheFirst() {
        LeadFile file = new LeadFile(1_000_000, 4);

        assertThat(file.newLeads(0) + file.newLeads(1) + file.newLeads(2) + file.newLeads(3)).isEqualTo(1_000_000);
        assertThat(file.newLeads(2)).isEqualTo(250_000);
        assertThat(file.repeatedLeads(0)).isZero();
        assertThat(file.repeatedLeads(1)).isEqualTo(12_500);
        assertThat(file.rows(1)).isEqualTo(262_500);
        assertThat(file.totalRows()).isEqualTo(1_012_500);
    }

    @Test
    void eachListIsItsHeaderAndOneRowPerLeadWithTheSecondListsRepeatsAtItsEnd() throws IOException {
        LeadFile file = new LeadFile(100, 4);

        List<String> first = lines(file.csv(0, 0, file.rows(0)));
        List<String> second = lines(file.csv(1, 0, file.rows(1)));

        assertThat(first.get(0) + "\n").isEqualTo(LeadFile.HEADER);
        assertThat(first).hasSize(1 + 25);
        assertThat(first.get(1)).isEqualTo("Bench,Lead 0,+447400000000,UTC,bench-0");
        assertThat(first.get(25)).isEqualTo("Bench,Lead 24,+447400000024,UTC,bench-24");
        assertThat(second).hasSize(1 + 25 + 2);
        assertThat(second.get(1)).isEqualTo("Bench,Lead 25,+447400000025,UTC,bench-25");
        assertThat(second.subList(26, 28)).as("leads 0 and 20 of the first list, as the first list has them")
                .containsExactly(first.get(1), first.get(21));
    }

    @Test
    void everyLeadIsOnePersonWithItsOwnReferenceAndNumber() throws IOException {
        LeadFile file = new LeadFile(1_000, 4);
        Set<String> refs = new HashSet<>();
        Set<String> phones = new HashSet<>();
        for (int list = 0; list < 4; list++) {
            for (String row : lines(file.csv(list, 0, file.rows(list))).subList(1, (int) file.rows(list) + 1)) {
                String[] columns = row.split(",");
                refs.add(columns[4]);
                phones.add(columns[2]);
            }
        }
        assertThat(refs).hasSize(1_000);
        assertThat(phones).hasSize(1_000);
    }

    @Test
    void theNumbersAreMobilesLibphonenumberAcceptsForGreatBritain() throws NumberParseException {
        for (long lead : new long[] {0, 1, 9_999_999, 10_000_000, 12_345_678, 39_999_999, 49_999_999}) {
            var number = PHONES.parse(LeadFile.phone(lead), "GB");
            assertThat(PHONES.isValidNumberForRegion(number, "GB")).as(LeadFile.phone(lead)).isTrue();
            assertThat(PHONES.getNumberType(number)).isEqualTo(PhoneNumberUtil.PhoneNumberType.MOBILE);
            assertThat(PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164)).isEqualTo(LeadFile.phone(lead));
        }
        assertThat(PHONES.isValidNumber(PHONES.parse("+447700900123", "GB")))
                .as("the drama range, which the benchmark does not use").isFalse();
    }

    @Test
    void piecesOfAListJoinUpToTheWholeListAndByteReadsMatchBulkReads() throws IOException {
        LeadFile file = new LeadFile(1_000, 4);
        List<String> whole = lines(file.csv(1, 0, file.rows(1)));
        List<String> pieces = new java.util.ArrayList<>(lines(file.csv(1, 0, 100)));
        pieces.addAll(lines(file.csv(1, 100, file.rows(1))).subList(1, (int) file.rows(1) - 100 + 1));
        assertThat(pieces).isEqualTo(whole);

        ByteArrayOutputStream oneByOne = new ByteArrayOutputStream();
        try (InputStream in = file.csv(2, 0, file.rows(2))) {
            int b;
            while ((b = in.read()) != -1) {
                oneByOne.write(b);
            }
        }
        try (InputStream in = file.csv(2, 0, file.rows(2))) {
            assertThat(oneByOne.toByteArray()).isEqualTo(in.readAllBytes());
        }
    }

    @Test
    void impossibleFilesAreRefused() {
        assertThatThrownBy(() -> new LeadFile(0, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LeadFile(60_000_000, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LeadFile(100, 4).csv(0, 0, 26)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> lines(InputStream csv) throws IOException {
        try (csv) {
            return Arrays.asList(new String(csv.readAllBytes(), StandardCharsets.US_ASCII).split("\n"));
        }
    }
}
