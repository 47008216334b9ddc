import Foundation
import Synchronization
import Testing

@testable import ReconCore

@Suite("Brief waits")
struct BriefWaitTests {
    @Test("a wait ends as soon as what it waits for is done, on another thread")
    func endsWhenDone() {
        let done = Atomic<Bool>(false)
        let checks = Atomic<Int>(0)
        let started = DispatchSemaphore(value: 0)
        Thread {
            started.wait()
            done.store(true, ordering: .releasing)
        }.start()
        let over = BriefWait.until {
            if checks.add(1, ordering: .relaxed).newValue == 2 { started.signal() }
            return done.load(ordering: .acquiring)
        }
        #expect(over)
        #expect(checks.load(ordering: .relaxed) >= 2)
    }

    @Test("a wait that goes on stops after its checks, so that its caller sleeps instead")
    func givesUp() {
        var checked = 0
        let over = BriefWait.until {
            checked += 1
            return false
        }
        #expect(!over)
        #expect(checked == BriefWait.checks + 1)
    }

    @Test("a wait already over checks once")
    func alreadyOver() {
        var checked = 0
        #expect(BriefWait.until {
            checked += 1
            return true
        })
        #expect(checked == 1)
    }
}
