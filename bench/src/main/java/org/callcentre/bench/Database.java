package org.callcentre.bench;

/** The databases the benchmark runs the app on. */
enum Database {
    H2("h2", "H2 (file)"),
    POSTGRES("postgres", "PostgreSQL");

    /** The name {@code --db=} takes. */
    final String option;
    /** The table's column heading. */
    final String label;

    Database(String option, String label) {
        this.option = option;
        this.label = label;
    }

    static Database of(String option) {
        for (Database database : values()) {
            if (database.option.equals(option.trim())) {
                return database;
            }
        }
        throw new IllegalArgumentException("--db: " + option + " is neither h2 nor postgres");
    }
}
