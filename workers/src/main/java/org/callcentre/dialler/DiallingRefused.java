package org.callcentre.dialler;

import java.util.Map;

import org.callcentre.dialler.DialRefusals.Refusal;
import org.callcentre.problem.RefusedException;

/**
 * The dialling compliance refused a call: a conflict whose problem detail names the rule in its {@code detail} and in
 * a {@code rule} member. Carries the refusal, to be recorded whatever becomes of the request's transaction.
 */
public class DiallingRefused extends RefusedException {

    private final transient Refusal refusal;

    public DiallingRefused(Refusal refusal) {
        super(Reason.CONFLICT, "refused by the " + refusal.rule() + " rule: " + refusal.detail(),
                Map.of("rule", refusal.rule().name()));
        this.refusal = refusal;
    }

    public Refusal refusal() {
        return refusal;
    }
}
