package org.callcentre.journey;

import java.util.List;

/**
 * One kind of activity in a customer's journey. Every source bean is collected by {@link CustomerJourneys}: a new
 * kind of activity (tickets, chats) joins the journey by adding a source and its {@link Activity.Kind}.
 */
public interface JourneySource {

    /** The customer's activities of this source's kind, in any order, each with its links. */
    List<Activity> activities(Customer customer);
}
