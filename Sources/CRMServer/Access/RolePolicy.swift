import CRMCore
import Foundation
public import GRPCCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Who holds each role (the configuration's `access` section): user names and group names.
public struct AccessMapping: Sendable, Equatable {
    public struct Members: Sendable, Equatable {
        public var users: [String]
        public var groups: [String]

        public init(users: [String] = [], groups: [String] = []) {
            self.users = users
            self.groups = groups
        }
    }

    public var admin: Members
    public var writer: Members
    public var reader: Members

    public init(admin: Members = .init(), writer: Members = .init(), reader: Members = .init()) {
        self.admin = admin
        self.writer = writer
        self.reader = reader
    }
}

/// The names a Unix identity goes by: its user name and the names of all its groups (primary, the
/// caller's gid, and supplementary ones from the group database).
public struct UnixIdentity: Sendable, Equatable {
    public var user: String?
    public var groups: Set<String>

    public init(user: String?, groups: Set<String>) {
        self.user = user
        self.groups = groups
    }

    /// Looks `uid` up in the passwd and group databases (NSS); `gid` is the caller's own group.
    public static func lookUp(uid: UInt32, gid: UInt32) -> UnixIdentity {
        var gids: Set<gid_t> = [gid]
        var name: String?
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        if getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let pwName = entry.pw_name {
            let user = String(cString: pwName)
            name = user
            gids.insert(entry.pw_gid)
            var count: Int32 = 256
            var list = [gid_t](repeating: 0, count: Int(count))
            if getgrouplist(user, entry.pw_gid, &list, &count) >= 0 {
                gids.formUnion(list.prefix(Int(count)))
            }
        }
        var names = Set<String>()
        for id in gids {
            var group = Glibc.group()
            var found: UnsafeMutablePointer<Glibc.group>?
            if getgrgid_r(id, &group, &buffer, buffer.count, &found) == 0, found != nil, let grName = group.gr_name {
                names.insert(String(cString: grName))
            }
        }
        return UnixIdentity(user: name, groups: names)
    }
}

/// Access control by role (docs/access.md): the caller's role comes from its Unix identity — root and
/// crmd's own user are admin, others by the ``AccessMapping`` — and each method needs the role
/// ``MethodRoles`` names. Identities are looked up when first seen and again after ``cacheSeconds``, so
/// group changes apply without a restart.
public final class RolePolicy: CallPolicy {
    public static let cacheSeconds: Double = 10

    let mapping: AccessMapping
    let ownUID: UInt32
    let lookUp: @Sendable (UInt32, UInt32) -> UnixIdentity
    private let cache = Mutex<[UInt64: (identity: UnixIdentity, until: ContinuousClock.Instant)]>([:])

    public init(
        mapping: AccessMapping,
        ownUID: UInt32? = nil,
        lookUp: @escaping @Sendable (UInt32, UInt32) -> UnixIdentity = UnixIdentity.lookUp
    ) {
        self.mapping = mapping
        self.ownUID = ownUID ?? UInt32(geteuid())
        self.lookUp = lookUp
    }

    /// The role `caller` holds.
    public func role(of caller: Caller) async -> Role {
        if caller.uid == 0 || caller.uid == ownUID { return .admin }
        let identity = await identity(uid: caller.uid, gid: caller.gid)
        for (role, members) in [(Role.admin, mapping.admin), (.writer, mapping.writer), (.reader, mapping.reader)] {
            if let user = identity.user, members.users.contains(user) { return role }
            if !identity.groups.isDisjoint(with: members.groups) { return role }
        }
        return .none
    }

    public func check(_ caller: Caller, method: MethodDescriptor) async throws {
        let needed = MethodRoles.role(for: method.fullyQualifiedMethod)
        let held = await role(of: caller)
        guard held < needed else { return }
        throw CRMError(
            .permissionDenied,
            "\(method.fullyQualifiedMethod) needs the \(needed) role; uid \(caller.uid) has "
                + (held == .none ? "no role" : "the \(held) role")
                + " (the access section of crmd's configuration gives roles to users and groups)"
        )
    }

    /// The identity of `uid` with `gid`, from the cache or looked up on a thread of its own: the passwd and
    /// group databases may be a directory service that takes its time to answer.
    private func identity(uid: UInt32, gid: UInt32) async -> UnixIdentity {
        let key = UInt64(uid) << 32 | UInt64(gid)
        let now = ContinuousClock.now
        if let cached = cache.withLock({ $0[key] }), cached.until > now { return cached.identity }
        let lookUp = self.lookUp
        let identity = await onOwnThread("crmd-identity") { lookUp(uid, gid) }
        cache.withLock { $0[key] = (identity, now.advanced(by: .seconds(Self.cacheSeconds))) }
        return identity
    }
}
