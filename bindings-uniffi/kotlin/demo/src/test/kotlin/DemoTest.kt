import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

/** The demo, run against sendivent-mock (SENDIVENT_BASE_URL), must succeed. */
class DemoTest {
    @Test
    fun `the demo sends through the mock and verifies the webhook it triggers`() {
        assertEquals(0, runDemo())
    }
}
