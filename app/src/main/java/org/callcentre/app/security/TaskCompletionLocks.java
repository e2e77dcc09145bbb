package org.callcentre.app.security;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.callcentre.app.web.ProblemResponses;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A task completion through the engine's HTTP doors ({@code /engine-rest} and the webapps' engine API) whose process
 * has a row that guards it (an outbound call's) runs in one transaction that first locks that row and then looks
 * again whether the task still exists. The application's own ways of finishing such a task (the console closing the
 * Talk task) take the same lock, so the two never overlap: without it the engine could load the task, then meet its
 * execution removed by the other commit halfway through the completion and fail with an internal error.
 * <p>
 * The engine's command joins this transaction. Its answer is held back until the transaction has committed; a
 * completion the engine refused (its transaction marked for rollback) is rolled back quietly with the engine's own
 * answer.
 */
public class TaskCompletionLocks extends OncePerRequestFilter {

    /** Locks the row guarding a process instance, if it has one; answers whether it had one. */
    @FunctionalInterface
    public interface ProcessRowLock {
        boolean lock(String processInstanceId);
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final List<ProcessRowLock> locks;
    private final String engineRestPath;
    private final String webappEnginePath;

    public TaskCompletionLocks(JdbcTemplate jdbc, PlatformTransactionManager transactions, List<ProcessRowLock> locks,
            String engineRestPath, String webappEnginePath) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions);
        this.locks = List.copyOf(locks);
        this.engineRestPath = engineRestPath;
        this.webappEnginePath = webappEnginePath;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String taskId = completedTask(request);
        if (taskId == null) {
            chain.doFilter(request, response);
            return;
        }
        List<String> task = taskRow(taskId);
        if (task.isEmpty()) {
            ProblemResponses.write(response, HttpStatus.NOT_FOUND, "no such task");
            return;
        }
        Optional<String> processInstance = task.stream().filter(id -> id != null).findFirst();
        if (processInstance.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        ContentCachingResponseWrapper held = new ContentCachingResponseWrapper(response);
        Boolean ran;
        try {
            ran = transactions.execute(tx -> {
                boolean guarded = false;
                for (ProcessRowLock lock : locks) {
                    guarded |= lock.lock(processInstance.get());
                }
                if (guarded && taskRow(taskId).isEmpty()) {
                    return false;
                }
                try {
                    chain.doFilter(request, held);
                } catch (IOException | ServletException failed) {
                    throw new FilterFailure(failed);
                }
                if (tx.isRollbackOnly()) {
                    tx.setRollbackOnly();
                }
                return true;
            });
        } catch (FilterFailure failure) {
            if (failure.getCause() instanceof ServletException servlet) {
                throw servlet;
            }
            throw (IOException) failure.getCause();
        } catch (TransactionException notCommitted) {
            response.reset();
            ProblemResponses.write(response, HttpStatus.CONFLICT,
                    "the task was changed at the same moment; load it again");
            return;
        }
        if (!Boolean.TRUE.equals(ran)) {
            ProblemResponses.write(response, HttpStatus.CONFLICT, "the task was finished at the same moment by "
                    + "someone else (or on the console)");
            return;
        }
        held.copyBodyToResponse();
    }

    /** The task's process instance (a list of one, null for a task outside a process), or empty: no such task. */
    private List<String> taskRow(String taskId) {
        return jdbc.queryForList("select proc_inst_id_ from act_ru_task where id_ = ?", String.class, taskId);
    }

    /** The task a {@code POST} completes ({@code complete}, {@code submit-form}, {@code resolve}), or null. */
    private String completedTask(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod())) {
            return null;
        }
        ProcessVariableGuard.EngineCall call = ProcessVariableGuard.EngineCall.of(request, engineRestPath,
                webappEnginePath);
        if (call == null || call.malformed()) {
            return null;
        }
        List<String> resource = call.resource();
        return resource.size() == 3 && resource.get(0).equals("task")
                && ProcessVariableGuard.COMPLETIONS.contains(resource.get(2)) ? resource.get(1) : null;
    }

    private static final class FilterFailure extends RuntimeException {
        FilterFailure(Exception cause) {
            super(cause);
        }
    }
}
