package dev.vigil.history.jdbc;

import dev.vigil.history.HistoryStore;
import dev.vigil.testkit.MemoryHistoryStore;

/** The testkit's memory store does what every store does, as the JDBC store on each database does. */
class MemoryHistoryStoreContractTest extends AnyHistoryStoreContract {

    @Override
    HistoryStore fresh() {
        return new MemoryHistoryStore();
    }
}
