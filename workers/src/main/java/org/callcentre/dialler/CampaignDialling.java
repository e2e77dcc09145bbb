package org.callcentre.dialler;

import java.util.Optional;

/** Each campaign's dialling rules, in the campaign table. */
public class CampaignDialling {

    public Optional<DiallingRules> rules(long campaignId) {
        throw new UnsupportedOperationException("not built yet");
    }
}
