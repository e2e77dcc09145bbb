package org.callcentre.user;

import org.callcentre.processes.Groups;

/** A call-centre user's role; each is an engine group, so Tasklist and Cockpit show each user what the role allows. */
public enum Role {
    /** Everything, including campaigns and users; a restricted one creates and edits agents only. */
    ADMIN_OPS(Groups.ADMIN_OPS),
    /** Teams, call lists, leads and inbound calls; never users. */
    AGENT_ADMIN(Groups.AGENT_ADMINS),
    /** Next Lead, leads, calls, call statuses and pledges. */
    AGENT(Groups.AGENTS);

    private final String group;

    Role(String group) {
        this.group = group;
    }

    /** The engine group that stands for the role. */
    public String group() {
        return group;
    }
}
