package org.callcentre.app.inbound;

import org.callcentre.app.support.EndToEndTest;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** The inbound tests' common ground: each test gets a team of two agents behind an inbound number of its own. */
abstract class InboundTest extends EndToEndTest {

    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    protected PlatformTransactionManager transactions;

    protected InboundScene scene;

    @BeforeEach
    void aTeamBehindItsOwnNumber() {
        scene = new InboundScene(admin, twilio, BASE, jdbc, transactions);
        // Calls earlier tests left open would count as the agents' live calls.
        scene.update("update outbound_call set final = true where final = false");
    }
}
