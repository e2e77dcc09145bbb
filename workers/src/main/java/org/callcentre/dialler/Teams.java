package org.callcentre.dialler;

import static org.callcentre.problem.RefusedException.conflict;
import static org.callcentre.problem.RefusedException.invalid;
import static org.callcentre.problem.RefusedException.notFound;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.callcentre.processes.Groups;
import org.callcentre.user.EngineGroups;
import org.callcentre.user.Role;
import org.camunda.bpm.engine.IdentityService;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Teams of agents and the call lists each works, with their weightings. An agent belongs to one team: putting an
 * agent of another team into a team is refused, naming the team the agent is in.
 */
public class Teams {

    /** A call list a team works, with its campaign and its weighting (higher is offered first). */
    public record TeamCallList(long callListId, long campaignId, int weighting) {
    }

    /** A call list of a team as the team is written: the list and its weighting (1 when not given). */
    public record Weighting(long callListId, int weighting) {
    }

    /** A team: its agents (by id) and its call lists, highest weighting first. */
    public record Team(long id, String name, List<String> agents, List<TeamCallList> callLists) {
    }

    /**
     * Published in the transaction that wrote the team (created, replaced, or its engine group brought in step at
     * start-up), for what is kept per team beyond the tables, such as its Tasklist filter.
     */
    public record Written(long id, String name, List<String> agents) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final IdentityService identity;
    private final ApplicationEventPublisher events;

    public Teams(JdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock) {
        this(jdbc, transactions, clock, null, null);
    }

    /**
     * @param identity the engine's users and groups: each team is also an engine group ({@link Groups#team}), so that
     *                 Tasklist offers the team's tasks to its agents; null keeps teams in the tables only
     * @param events   where {@link Written} is published; null publishes nothing
     */
    public Teams(JdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock, IdentityService identity,
            ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
        this.identity = identity;
        this.events = events;
    }

    /** The team the agent belongs to, if any. */
    public Optional<Long> teamOf(String userId) {
        return jdbc.queryForList("select team_id from team_agent where user_id = ?", Long.class, userId).stream()
                .findFirst();
    }

    /** Every agent's team, by agent. */
    public Map<String, Long> teamsOfAgents() {
        Map<String, Long> teams = new HashMap<>();
        jdbc.query("select user_id, team_id from team_agent", rs -> {
            teams.put(rs.getString("user_id"), rs.getLong("team_id"));
        });
        return teams;
    }

    /** The team's call lists, highest weighting first (then by list). */
    public List<TeamCallList> callLists(long teamId) {
        return jdbc.query("select t.call_list_id, l.campaign_id, t.weighting from team_call_list t "
                + "join call_list l on l.id = t.call_list_id where t.team_id = ? "
                + "order by t.weighting desc, t.call_list_id", (rs, n) -> new TeamCallList(rs.getLong("call_list_id"),
                        rs.getLong("campaign_id"), rs.getInt("weighting")), teamId);
    }

    public Optional<Team> team(long id) {
        return jdbc.query("select id, name from team where id = ?", (rs, n) -> new Team(rs.getLong("id"),
                rs.getString("name"), agents(id), callLists(id)), id).stream().findFirst();
    }

    /** Creates the team; its agents must be agents in no other team, its call lists must exist. */
    public long create(String name, List<String> agents, List<Weighting> callLists) {
        return transaction.execute(tx -> {
            Set<String> members = validate(name, agents, callLists, null);
            KeyHolder keys = new GeneratedKeyHolder();
            try {
                jdbc.update(c -> {
                    var ps = c.prepareStatement("insert into team (name, created_at) values (?, ?)",
                            new String[] {"id"});
                    ps.setString(1, name.strip());
                    ps.setTimestamp(2, Timestamp.from(clock.instant()));
                    return ps;
                }, keys);
            } catch (DuplicateKeyException e) {
                throw nameTaken(name);
            }
            long id = keys.getKey().longValue();
            write(id, members, callLists);
            return id;
        });
    }

    /** Replaces the team's name, agents and call lists; false when there is no such team. */
    public boolean replace(long id, String name, List<String> agents, List<Weighting> callLists) {
        return Boolean.TRUE.equals(transaction.execute(tx -> {
            // Locks the team, so two replacements of one team do not interleave.
            if (jdbc.update("update team set name = name where id = ?", id) == 0) {
                return false;
            }
            Set<String> members = validate(name, agents, callLists, id);
            try {
                jdbc.update("update team set name = ? where id = ?", name.strip(), id);
            } catch (DuplicateKeyException e) {
                throw nameTaken(name);
            }
            jdbc.update("delete from team_agent where team_id = ?", id);
            jdbc.update("delete from team_call_list where team_id = ?", id);
            write(id, members, callLists);
            return true;
        }));
    }

    private List<String> agents(long teamId) {
        return jdbc.queryForList("select user_id from team_agent where team_id = ? order by user_id", String.class,
                teamId);
    }

    private Set<String> validate(String name, List<String> agents, List<Weighting> callLists, Long team) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw invalid("name is required, at most 200 characters");
        }
        Long sameName = jdbc.queryForList("select id from team where name = ?", Long.class, name.strip()).stream()
                .findFirst().orElse(null);
        if (sameName != null && !sameName.equals(team)) {
            throw nameTaken(name);
        }
        Set<String> members = new LinkedHashSet<>(agents == null ? List.of() : agents);
        for (String agent : members) {
            List<String> roles = jdbc.queryForList("select role from call_centre_user where user_id = ?", String.class,
                    agent);
            if (roles.isEmpty() || !Role.AGENT.name().equals(roles.get(0))) {
                throw invalid(agent + " is not an agent");
            }
            List<Map<String, Object>> current = jdbc.queryForList("select t.id, t.name from team_agent a "
                    + "join team t on t.id = a.team_id where a.user_id = ?", agent);
            if (!current.isEmpty() && (team == null || ((Number) current.get(0).get("id")).longValue() != team)) {
                throw conflict(agent + " already belongs to the team " + current.get(0).get("name")
                        + "; an agent belongs to one team");
            }
        }
        Set<Long> lists = new HashSet<>();
        for (Weighting list : callLists == null ? List.<Weighting>of() : callLists) {
            if (list.weighting() < 1) {
                throw invalid("weighting must be at least 1");
            }
            if (!lists.add(list.callListId())) {
                throw invalid("call list " + list.callListId() + " is named twice");
            }
            if (jdbc.queryForObject("select count(*) from call_list where id = ?", Integer.class,
                    list.callListId()) == 0) {
                throw notFound("no call list " + list.callListId());
            }
        }
        return members;
    }

    private void write(long id, Set<String> agents, List<Weighting> callLists) {
        for (String agent : agents) {
            try {
                jdbc.update("insert into team_agent (user_id, team_id) values (?, ?)", agent, id);
            } catch (DuplicateKeyException raced) {
                throw conflict(agent + " was put into another team at the same moment; an agent belongs to one team");
            }
        }
        for (Weighting list : callLists == null ? List.<Weighting>of() : callLists) {
            jdbc.update("insert into team_call_list (team_id, call_list_id, weighting) values (?, ?, ?)", id,
                    list.callListId(), list.weighting());
        }
        engineGroup(id, agents);
        published(id, agents);
    }

    /**
     * Brings every team's engine group in step with the team (for teams written before groups were kept), and
     * publishes each team as {@link Written}.
     */
    public void syncEngineGroups() {
        transaction.executeWithoutResult(tx -> {
            for (long id : jdbc.queryForList("select id from team order by id", Long.class)) {
                Set<String> agents = new LinkedHashSet<>(agents(id));
                engineGroup(id, agents);
                published(id, agents);
            }
        });
    }

    private void published(long id, Set<String> agents) {
        if (events != null) {
            events.publishEvent(new Written(id, jdbc.queryForObject("select name from team where id = ?",
                    String.class, id), List.copyOf(agents)));
        }
    }

    /** The team's engine group, with the team's agents as its members and no one else. */
    private void engineGroup(long id, Set<String> agents) {
        if (identity == null) {
            return;
        }
        String name = jdbc.queryForObject("select name from team where id = ?", String.class, id);
        EngineGroups.sync(identity, Groups.team(id), "TEAM", "Team " + name, agents);
    }

    private static RuntimeException nameTaken(String name) {
        return conflict("a team named " + name.strip() + " already exists");
    }
}
