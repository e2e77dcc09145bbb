package org.callcentre.app.dialler;

import static org.callcentre.problem.RefusedException.notFound;

import java.util.List;

import org.callcentre.dialler.CallLists;
import org.callcentre.dialler.CallLists.LeadCallList;
import org.callcentre.dialler.Leads;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The call lists that hold a lead, named, each with its campaign: what an agent reads on the lead, and the campaign
 * and currency a pledge taken on the lead belongs to. Open to every call-centre role, as the lead itself is.
 */
@RestController
public class LeadCallListController {

    private final Leads leads;
    private final CallLists callLists;

    public LeadCallListController(Leads leads, CallLists callLists) {
        this.leads = leads;
        this.callLists = callLists;
    }

    /** {@code [{id, name, campaignId, campaignName, currency}]}, by list id; 404 for an unknown lead. */
    @GetMapping("/api/leads/{id}/call-lists")
    @Transactional(readOnly = true)
    public List<LeadCallList> callLists(@PathVariable long id) {
        if (!leads.exists(id)) {
            throw notFound("there is no lead " + id);
        }
        return callLists.ofLead(id);
    }
}
