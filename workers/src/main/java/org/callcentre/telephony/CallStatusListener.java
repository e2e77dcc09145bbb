package org.callcentre.telephony;

/**
 * A capability that acts on the statuses of the calls it owns (card capture on a donor's hang-up, say). Every
 * listener hears every recorded status callback, of every call, including repeats and late ones: it ignores
 * calls it does not know and must be safe to call twice. It is called after the status is recorded and committed,
 * outside any transaction (it opens its own); its failure neither undoes the record nor keeps the other listeners
 * from hearing it.
 */
public interface CallStatusListener {

    void onCallStatus(CallStatusUpdate update);
}
