using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Assets;
using OnTrackio.Audit;
using OnTrackio.People;
using OnTrackio.Register;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Demo;

/// <summary>What <see cref="DemoRegister.AddAsync"/> put in.</summary>
public sealed record DemoSummary(int Assets, int People, int Models, int Locations, int CheckedOut);

/// <summary>
/// Fills the embedded default's freshly provisioned demo workspace with a believable register, so that the first
/// page someone opens shows what the product does: ~300 assets of 13 models in three cities, 60 people in seven
/// departments, some of it deployed, pending, broken or archived, and warranties running out in the coming weeks.
/// </summary>
/// <remarks>
/// Deterministic (a fixed seed; dates relative to the clock), and written through the same entities, timeline lines
/// and audit entries (actor "demo") as real changes, in one transaction. It refuses a workspace that already has any
/// register data, so it can never mix into a real one.
/// </remarks>
public static class DemoRegister
{
    public const string Actor = "demo";

    private const int Seed = 20261127;

    public static async Task<DemoSummary> AddAsync(WorkspaceDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.Set<Asset>().AnyAsync(cancellationToken) || await db.Set<Person>().AnyAsync(cancellationToken)
            || await db.Set<AssetModel>().AnyAsync(cancellationToken) || await db.Set<Location>().AnyAsync(cancellationToken))
        {
            throw new InvalidOperationException("Demo data goes only into a freshly created workspace; this one already has a register.");
        }

        var sequence = await db.Set<AssetTagSequence>().SingleAsync(s => s.Id == AssetTagSequence.SingletonId, cancellationToken);
        var writer = new Writer(db, time.GetUtcNow(), sequence);
        var summary = writer.Write();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return summary;
    }

    private sealed record ModelSpec(
        string Name, Guid Category, string Maker, string Number, int? LifeMonths, decimal Price, int Count, int WarrantyMonths, string? HostKind);

    private sealed record Place(Location Floor, string City, string Currency);

    private sealed record City(string Name, string Building, string[] Floors, string Currency);

    private const string StoreRoom = "Store room";

    private static readonly City[] Cities =
    [
        new("London", "1 Canada Square", ["Floor 12", "Floor 14", StoreRoom], "GBP"),
        new("Berlin", "Friedrichstraße 68", ["Floor 3", "Floor 4"], "EUR"),
        new("New York", "285 Fulton Street", ["Floor 21"], "USD"),
    ];

    private static readonly Guid Desktops = new("0193b000-0000-7000-8000-000000000202");
    private static readonly Guid Monitors = new("0193b000-0000-7000-8000-000000000203");
    private static readonly Guid Phones = new("0193b000-0000-7000-8000-000000000204");
    private static readonly Guid Tablets = new("0193b000-0000-7000-8000-000000000205");
    private static readonly Guid Peripherals = new("0193b000-0000-7000-8000-000000000206");

    private static readonly ModelSpec[] Models =
    [
        new("ThinkPad T14 Gen 4", ReferenceDefaults.Laptops, "Lenovo", "21HD", 48, 1349m, 55, 36, "LT"),
        new("ThinkPad X1 Carbon Gen 11", ReferenceDefaults.Laptops, "Lenovo", "21HM", 48, 1899m, 20, 36, "LT"),
        new("MacBook Pro 14 (M3)", ReferenceDefaults.Laptops, "Apple", "MRX33", 48, 2199m, 30, 36, "LT"),
        new("Latitude 5440", ReferenceDefaults.Laptops, "Dell", "5440", 48, 1199m, 25, 36, "LT"),
        new("OptiPlex 7010 Micro", Desktops, "Dell", "7010", 60, 849m, 15, 36, "DT"),
        new("EliteDesk 800 G9", Desktops, "HP", "800G9", 60, 999m, 10, 36, "DT"),
        new("UltraSharp U2723QE", Monitors, "Dell", "U2723QE", 72, 579m, 45, 36, null),
        new("ViewFinity S8 27", Monitors, "Samsung", "LS27B800", 72, 449m, 20, 24, null),
        new("iPhone 15", Phones, "Apple", "MTP03", 36, 949m, 25, 12, null),
        new("Galaxy S24", Phones, "Samsung", "SM-S921B", 36, 899m, 15, 24, null),
        new("iPad Air 11", Tablets, "Apple", "MUWD3", 48, 699m, 10, 12, null),
        new("MX Keys S", Peripherals, "Logitech", "920-011406", null, 109m, 15, 12, null),
        new("MX Master 3S", Peripherals, "Logitech", "910-006559", null, 99m, 15, 12, null),
    ];

    private static readonly string[] Makers = ["Lenovo", "Dell", "Apple", "HP", "Samsung", "Logitech"];

    private static readonly string[] Suppliers = ["CDW", "Insight", "Bechtle", "Apple Business", "Dell Technologies Direct"];

    private static readonly (string Name, int Size)[] Departments =
        [("Operations", 9), ("Engineering", 18), ("Sales", 11), ("Marketing", 6), ("Finance", 6), ("People", 4), ("IT", 6)];

    private static readonly string[] FirstNames =
    [
        "Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Tim", "Radia", "Vint", "Hedy",
        "Edsger", "Katherine", "Donald", "Sophie", "John", "Anita", "Niklaus", "Jean", "Leslie", "Shafi", "Tony", "Mary",
        "Bjarne", "Karen", "Guido", "Joan", "James",
    ];

    private static readonly string[] LastNames =
    [
        "Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen", "Berners-Lee",
        "Perlman", "Cerf", "Lamarr", "Dijkstra", "Johnson", "Knuth", "Wilson", "McCarthy", "Borg", "Wirth", "Bartik",
        "Lamport", "Goldwasser", "Hoare", "Keller", "Stroustrup", "Jones", "van Rossum", "Clarke", "Gosling", "Kahn",
    ];

    /// <summary>Builds the whole register into the context's change tracker; the caller saves it once.</summary>
    private sealed class Writer(WorkspaceDbContext db, DateTimeOffset now, AssetTagSequence sequence)
    {
        private static readonly JsonSerializerOptions ChangesJson = new(JsonSerializerDefaults.Web);

        // A fixed seed for sample data, not for anything secret: the same demo on every first start.
#pragma warning disable CA5394
        private readonly Random _random = new(Seed);

        private readonly DateOnly _today = DateOnly.FromDateTime(now.UtcDateTime);

        public DemoSummary Write()
        {
            var makers = Makers.ToDictionary(name => name, name => Reference(ReferenceKind.Manufacturers, new Manufacturer { Name = name }));
            var suppliers = Suppliers.ToDictionary(name => name, name => Reference(ReferenceKind.Suppliers, new Supplier { Name = name }));
            var models = Models.Select(spec => (Spec: spec, Model: Reference(ReferenceKind.Models, new AssetModel
            {
                Name = spec.Name,
                CategoryId = spec.Category,
                ManufacturerId = makers[spec.Maker].Id,
                ModelNumber = spec.Number,
                EndOfLifeMonths = spec.LifeMonths,
            }))).ToList();
            var places = Places(out var storeRoom, out var locationCount);
            var people = People(places);
            var (assets, checkedOut) = Assets(models, suppliers, places, storeRoom, people);
            return new DemoSummary(assets, people.Count, models.Count, locationCount, checkedOut);
        }

        /// <summary>Cities, a building in each, floors in the buildings (and a store room for spares in London).</summary>
        private List<Place> Places(out Place storeRoom, out int count)
        {
            var places = new List<Place>();
            count = 0;
            Place? store = null;
            foreach (var city in Cities)
            {
                var cityLocation = Reference(ReferenceKind.Locations, new Location { Name = city.Name });
                var buildingLocation = Reference(ReferenceKind.Locations, new Location { Name = city.Building, ParentId = cityLocation.Id });
                count += 2 + city.Floors.Length;
                foreach (var floor in city.Floors)
                {
                    var place = new Place(Reference(ReferenceKind.Locations, new Location { Name = floor, ParentId = buildingLocation.Id }), city.Name, city.Currency);
                    if (floor == StoreRoom)
                    {
                        store = place;
                    }
                    else
                    {
                        places.Add(place);
                    }
                }
            }

            storeRoom = store!;
            return places;
        }

        /// <summary>Sixty people: the first of Operations runs the company, the first of each department heads it.</summary>
        private List<(Person Person, Place Place)> People(List<Place> places)
        {
            var people = new List<(Person Person, Place Place)>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            Person? chief = null;
            foreach (var (name, size) in Departments)
            {
                var department = Reference(ReferenceKind.Departments, new Department { Name = name });
                Person? head = null;
                for (var i = 0; i < size; i++)
                {
                    string first, last;
                    do
                    {
                        (first, last) = (Pick(FirstNames), Pick(LastNames));
                    }
                    while (!names.Add(first + " " + last));

                    var place = Pick(places);
                    var person = new Person
                    {
                        Name = $"{first} {last}",
                        Email = $"{first}.{last.Replace(" ", string.Empty, StringComparison.Ordinal)}@demo.example".ToLowerInvariant(),
                        EmployeeNumber = string.Create(CultureInfo.InvariantCulture, $"E{1001 + people.Count}"),
                        DepartmentId = department.Id,
                        ManagerId = head?.Id ?? chief?.Id,
                        LocationId = place.Floor.Id,
                        StartDate = _today.AddDays(-_random.Next(30, 2500)),
                        CreatedAt = now,
                    };
                    head ??= person;
                    chief ??= person;
                    people.Add((person, place));
                }
            }

            // Two people left recently and one is leaving soon; the first two still hold hardware.
            people[^1].Person.LeaveDate = _today.AddDays(-5);
            people[^12].Person.LeaveDate = _today.AddDays(-20);
            people[^25].Person.LeaveDate = _today.AddDays(14);
            foreach (var (person, _) in people)
            {
                db.Add(person);
                Audit(AuditEventType.PersonCreated, "person", person.Id, person.Name, AssetRecord.Diff(Empty(), PersonFields.Snapshot(person)));
            }

            return people;
        }

        private (int Assets, int CheckedOut) Assets(
            List<(ModelSpec Spec, AssetModel Model)> models, Dictionary<string, Supplier> suppliers, List<Place> places, Place storeRoom,
            List<(Person Person, Place Place)> people)
        {
            // The people who have left are served first, so the demo always has hardware held by leavers to chase.
            var leavers = new Queue<(Person Person, Place Place)>(people.Where(p => p.Person.LeaveDate < _today));
            var checkedOut = 0;
            var index = 0;
            var hostNumbers = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (spec, model) in models)
            {
                for (var k = 0; k < spec.Count; k++, index++)
                {
                    var purchase = _today.AddDays(-_random.Next(20, 4 * 365));

                    // Every twentieth asset has its warranty ending in the next 30, 60 or 90 days, bought accordingly.
                    var (from, to) = (index % 20) switch { 3 => (1, 30), 9 => (31, 60), 15 => (61, 90), _ => (0, 0) };
                    var warrantyEnd = purchase.AddMonths(spec.WarrantyMonths);
                    if (to > 0)
                    {
                        warrantyEnd = _today.AddDays(_random.Next(from, to + 1));
                        purchase = warrantyEnd.AddMonths(-spec.WarrantyMonths);
                    }

                    var status = StatusFor(purchase);
                    var holder = status == ReferenceDefaults.ReadyToDeploy && _random.NextDouble() < 0.78
                        ? leavers.Count > 0 ? leavers.Dequeue() : Pick(people)
                        : ((Person Person, Place Place)?)null;
                    var place = holder?.Place ?? (status == ReferenceDefaults.ReadyToDeploy || status == ReferenceDefaults.Pending ? storeRoom : Pick(places));
                    var supplier = spec.Maker switch
                    {
                        "Apple" => "Apple Business",
                        "Dell" when _random.NextDouble() < 0.6 => "Dell Technologies Direct",
                        _ => place.City == "Berlin" ? "Bechtle" : Pick<string>(["CDW", "Insight"]),
                    };
                    var asset = new Asset
                    {
                        Tag = NextTag(),
                        Serial = Serial(spec.Maker),
                        Name = spec.HostKind is { } kind ? HostName(place.City, kind, hostNumbers) : spec.Name,
                        ModelId = model.Id,
                        StatusLabelId = status,
                        LocationId = place.Floor.Id,
                        SupplierId = suppliers[supplier].Id,
                        PurchaseDate = purchase,
                        Cost = Math.Round(spec.Price * (decimal)(0.92 + (_random.NextDouble() * 0.16)), 2),
                        Currency = place.Currency,
                        OrderNumber = string.Create(CultureInfo.InvariantCulture, $"PO-{purchase.Year}-{_random.Next(1000, 10000)}"),
                        WarrantyEnd = warrantyEnd,
                        Notes = NoteFor(status),
                        CreatedAt = now,
                        UpdatedAt = now,
                    };
                    db.Add(asset);
                    var created = AssetRecord.Snapshot(asset);
                    History(asset, "created", "created");
                    Audit(AuditEventType.AssetCreated, AssetRecord.EntityType, asset.Id, asset.Tag, AssetRecord.Diff(Empty(), created));
                    if (holder is { } taker)
                    {
                        asset.AssignedPersonId = taker.Person.Id;
                        var handedOut = purchase.AddDays(_random.Next(1, 15));
                        asset.CheckedOutAt = new DateTimeOffset(Min(handedOut, _today).ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero);
                        asset.ExpectedCheckIn = spec.Category == ReferenceDefaults.Laptops && _random.NextDouble() < 0.05 ? _today.AddDays(_random.Next(7, 60)) : null;
                        asset.Version++;
                        History(asset, "checked out", $"to {taker.Person.Name}");
                        Audit(AuditEventType.AssetCheckedOut, AssetRecord.EntityType, asset.Id, asset.Tag, AssetRecord.Diff(created, AssetRecord.Snapshot(asset)));
                        checkedOut++;
                    }
                }
            }

            return (index, checkedOut);
        }

        /// <summary>Mostly deployable; older hardware is more often archived.</summary>
        private Guid StatusFor(DateOnly purchase)
        {
            var roll = _random.NextDouble();
            var old = purchase < _today.AddYears(-3);
            return roll switch
            {
                _ when old && roll < 0.35 => ReferenceDefaults.Archived,
                < 0.03 => ReferenceDefaults.Archived,
                < 0.11 => ReferenceDefaults.Pending,
                < 0.16 => ReferenceDefaults.Broken,
                < 0.19 => ReferenceDefaults.InRepair,
                _ => ReferenceDefaults.ReadyToDeploy,
            };
        }

        private string? NoteFor(Guid status)
        {
            if (status == ReferenceDefaults.Broken)
            {
                return Pick<string>(["Cracked screen; quote requested from the supplier.", "Does not power on after a liquid spill.", "Hinge broken."]);
            }

            if (status == ReferenceDefaults.InRepair)
            {
                return "With the supplier for a battery replacement under warranty.";
            }

            return _random.NextDouble() < 0.04
                ? Pick<string>(["Spare for new starters.", "Keyboard layout: German (QWERTZ).", "Extended warranty purchased.", "Asset label replaced."])
                : null;
        }

        private string NextTag()
        {
            var number = sequence.NextNumber++;
            return sequence.Prefix + number.ToString(CultureInfo.InvariantCulture).PadLeft(sequence.Digits, '0');
        }

        private string Serial(string maker)
        {
            const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
            var prefix = maker.ToUpperInvariant()[..2];
            return prefix + string.Create(10, _random, (span, random) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = Alphabet[random.Next(Alphabet.Length)];
                }
            });
        }

        private static string HostName(string city, string kind, Dictionary<string, int> numbers)
        {
            var prefix = $"{city switch { "London" => "LON", "Berlin" => "BER", _ => "NYC" }}-{kind}";
            var number = numbers[prefix] = numbers.GetValueOrDefault(prefix) + 1;
            return string.Create(CultureInfo.InvariantCulture, $"{prefix}-{number:0000}");
        }

        private T Reference<T>(ReferenceKind kind, T item)
            where T : ReferenceItem
        {
            db.Add(item);
            Audit(AuditEventType.ReferenceCreated, kind.Noun(), item.Id, item.Name, AssetRecord.Diff(Empty(), ReferenceSets.Snapshot(item)));
            return item;
        }

        private void History(Asset asset, string action, string detail) =>
            db.Add(new AssetHistoryEntry { AssetId = asset.Id, OccurredAt = now, Action = action, Detail = detail, ActorLabel = Actor });

        private void Audit(AuditEventType type, string entityType, Guid id, string subject, List<FieldChange> changes) =>
            db.Add(new AuditEvent
            {
                OccurredAt = now,
                Type = type,
                ActorType = "system",
                ActorLabel = Actor,
                Subject = subject,
                EntityType = entityType,
                EntityId = id.ToString(),
                Changes = changes.Count > 0 ? JsonSerializer.Serialize(changes, ChangesJson) : null,
            });

        private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
#pragma warning restore CA5394

        private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

        private static Dictionary<string, string?> Empty() => new(StringComparer.Ordinal);
    }
}
