package org.callcentre.app.dialler;

import static org.callcentre.problem.RefusedException.invalid;
import static org.callcentre.problem.RefusedException.notFound;

import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

import org.callcentre.app.dialler.DiallerSetupApi.CallerIdNumbers;
import org.callcentre.app.dialler.DiallerSetupApi.DiallingSettings;
import org.callcentre.dialler.CallerIds;
import org.callcentre.dialler.CallerIds.CallerId;
import org.callcentre.dialler.CampaignDialling;
import org.callcentre.dialler.DiallingRules;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.google.i18n.phonenumbers.PhoneNumberUtil;

import jakarta.validation.Valid;

/** A campaign's dialling rules and its caller IDs. */
@RestController
@RequestMapping("/api/campaigns/{campaignId}")
public class CampaignDiallingController {

    private final CampaignDialling dialling;
    private final CallerIds callerIds;

    public CampaignDiallingController(CampaignDialling dialling, CallerIds callerIds) {
        this.dialling = dialling;
        this.callerIds = callerIds;
    }

    @GetMapping("/dialling")
    public DiallingSettings dialling(@PathVariable long campaignId) {
        return DiallingSettings.of(rules(campaignId));
    }

    @PutMapping("/dialling")
    @Transactional
    public DiallingSettings updateDialling(@PathVariable long campaignId, @Valid @RequestBody DiallingSettings body) {
        ZoneId zone;
        try {
            zone = ZoneId.of(body.defaultTimeZone());
        } catch (DateTimeException e) {
            throw invalid(body.defaultTimeZone() + " is not an IANA time zone (such as Europe/London)");
        }
        if (!PhoneNumberUtil.getInstance().getSupportedRegions().contains(body.defaultRegion())) {
            throw invalid(body.defaultRegion() + " is not a region with a telephone numbering plan");
        }
        DiallingRules rules = new DiallingRules(campaignId, body.minMinutesBetweenCalls(), body.maxAttemptsIn8Hours(),
                body.maxAttemptsPerRecord(), LocalTime.parse(body.callingHoursStart()),
                LocalTime.parse(body.callingHoursEnd()), zone, body.defaultRegion(),
                Boolean.TRUE.equals(body.recordCalls()), body.allowedCountriesOrNone());
        if (!dialling.update(rules)) {
            throw noCampaign(campaignId);
        }
        return DiallingSettings.of(rules(campaignId));
    }

    @GetMapping("/caller-ids")
    public List<CallerId> callerIds(@PathVariable long campaignId) {
        rules(campaignId);
        return callerIds.list(campaignId);
    }

    @PutMapping("/caller-ids")
    @Transactional
    public List<CallerId> replaceCallerIds(@PathVariable long campaignId, @Valid @RequestBody CallerIdNumbers body) {
        rules(campaignId);
        callerIds.replace(campaignId, body.numbers());
        return callerIds.list(campaignId);
    }

    /** Retires the number from the campaign's cycle: calls are no longer placed from it. */
    @PostMapping("/caller-ids/{number}/spam-flag")
    @Transactional
    public CallerId flagAsSpam(@PathVariable long campaignId, @PathVariable String number) {
        rules(campaignId);
        if (!callerIds.flagAsSpam(campaignId, number)) {
            throw notFound("campaign " + campaignId + " has no caller ID " + number);
        }
        return callerIds.list(campaignId).stream().filter(id -> id.number().equals(number)).findFirst().orElseThrow();
    }

    private DiallingRules rules(long campaignId) {
        return dialling.rules(campaignId).orElseThrow(() -> noCampaign(campaignId));
    }

    private static RuntimeException noCampaign(long campaignId) {
        return notFound("no campaign " + campaignId);
    }
}
