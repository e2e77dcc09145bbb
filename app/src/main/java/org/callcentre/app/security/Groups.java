package org.callcentre.app.security;

/** The engine groups that stand for the product's roles. */
public final class Groups {

    private Groups() {
    }

    /** Call-centre agents: call donors, take pledges and card payments, work their Tasklist tasks. */
    public static final String AGENTS = "agents";
    /** Agent admins: read/write teams, call lists and inbound calls; follow up partial payments. */
    public static final String AGENT_ADMINS = "agentadmins";
    /** Admin operations: everything, including campaigns and creating agents. */
    public static final String ADMIN_OPS = "adminops";
    /** The engine's own administrators group (the starter's admin user is in it). */
    public static final String CAMUNDA_ADMIN = "camunda-admin";

    /** Spring Security authority of an engine group. */
    public static String authority(String groupId) {
        return "GROUP_" + groupId;
    }
}
