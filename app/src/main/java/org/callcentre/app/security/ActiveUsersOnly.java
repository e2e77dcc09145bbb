package org.callcentre.app.security;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.identity.db.DbIdentityServiceProvider;
import org.camunda.bpm.engine.impl.interceptor.Session;
import org.camunda.bpm.engine.impl.interceptor.SessionFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A deactivated call-centre user ({@code call_centre_user.active = false}) cannot sign in, through any door: the JSON
 * API, the engine's REST API and the webapps all check a password with the engine's identity service, and its
 * provider is replaced here by the engine's own database provider that first refuses an inactive user. Users without
 * a profile (the configured administrator) are not affected. A webapp session opened before the deactivation lasts
 * until it expires.
 */
@Component
public class ActiveUsersOnly extends AbstractProcessEnginePlugin {

    private final JdbcTemplate jdbc;

    public ActiveUsersOnly(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        configuration.setIdentityProviderSessionFactory(new SessionFactory() {
            @Override
            public Class<?> getSessionType() {
                return ActiveUsersIdentityProvider.class;
            }

            @Override
            public Session openSession() {
                return new ActiveUsersIdentityProvider(jdbc);
            }
        });
    }

    /** The engine's database identity provider, refusing the password of a deactivated user. */
    public static class ActiveUsersIdentityProvider extends DbIdentityServiceProvider {

        private final JdbcTemplate jdbc;

        public ActiveUsersIdentityProvider(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Override
        public boolean checkPassword(String userId, String password) {
            if (userId != null && jdbc.queryForObject("select count(*) from call_centre_user where user_id = ? "
                    + "and active = false", Integer.class, userId) > 0) {
                return false;
            }
            return super.checkPassword(userId, password);
        }
    }
}
