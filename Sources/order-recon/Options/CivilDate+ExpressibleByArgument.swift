import ArgumentParser
import ReconCore

extension CivilDate: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(argument)
    }
}
