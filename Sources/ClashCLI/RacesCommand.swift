import ArgumentParser
import Clash
import Foundation

struct RacesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "races", abstract: "Races: list, show, cancel.",
                                                    subcommands: [RacesList.self, RacesShow.self, RacesCancel.self])
}
