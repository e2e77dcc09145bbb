package org.callcentre.processes;

/**
 * The engine groups that stand for the product's roles: the one place their ids are spelled. The app creates them
 * and their permissions at start-up, security maps them to roles, and the models name them through the bean
 * {@value #BEAN} ({@code camunda:candidateGroups="${groups.agentAdmins}"}), so a model never carries a literal
 * group id that could drift from the groups that exist.
 */
public final class Groups {

    /** The name the models reach this class's instance by, in the app's engine and in the process tests. */
    public static final String BEAN = "groups";

    /** Call-centre agents: call donors, take pledges and card payments, work their Tasklist tasks. */
    public static final String AGENTS = "agents";
    /** Agent admins: read/write teams, call lists and inbound calls; follow up partial payments. */
    public static final String AGENT_ADMINS = "agentadmins";
    /** Admin operations: everything, including campaigns and creating agents. */
    public static final String ADMIN_OPS = "adminops";
    /** The engine's own administrators group (the starter's admin user is in it). */
    public static final String CAMUNDA_ADMIN = "camunda-admin";

    /**
     * A team's members, as an engine group: its Call Back Queue tasks are offered to it. Letters and digits only,
     * as the engine's default pattern for resource ids requires.
     */
    public static String team(long teamId) {
        return "team" + teamId;
    }

    /**
     * A ticket group's members (Info, Donations…), as an engine group: the group's ticket tasks are offered to it.
     * The key is letters and digits, as the engine's resource ids require.
     */
    public static String ticketGroup(String key) {
        return "group" + key;
    }

    /** For the models' expressions: {@code ${groups.agents}}. */
    public String getAgents() {
        return AGENTS;
    }

    /** For the models' expressions: {@code ${groups.agentAdmins}}. */
    public String getAgentAdmins() {
        return AGENT_ADMINS;
    }

    /** For the models' expressions: {@code ${groups.adminOps}}. */
    public String getAdminOps() {
        return ADMIN_OPS;
    }
}
