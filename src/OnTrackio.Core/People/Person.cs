using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnTrackio.Identity;
using OnTrackio.Register;

namespace OnTrackio.People;

/// <summary>
/// Someone in the organisation, whether or not they sign in: the register assigns hardware to people, and most of them
/// never have an account. A login links to at most one person (<see cref="UserId"/>).
/// </summary>
public sealed class Person
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string Name { get; set; }

    public string? Email { get; set; }

    public string? EmployeeNumber { get; set; }

    public Guid? DepartmentId { get; set; }

    public Guid? ManagerId { get; set; }

    public Guid? LocationId { get; set; }

    public DateOnly? StartDate { get; set; }

    public DateOnly? LeaveDate { get; set; }

    public Guid? UserId { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> builder)
    {
        builder.ToTable("people");
        builder.Property(p => p.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(p => p.Name).HasColumnName("name").HasMaxLength(200);
        builder.Property(p => p.Email).HasColumnName("email").HasMaxLength(254);
        builder.Property(p => p.EmployeeNumber).HasColumnName("employee_number").HasMaxLength(64);
        builder.Property(p => p.DepartmentId).HasColumnName("department_id");
        builder.Property(p => p.ManagerId).HasColumnName("manager_id");
        builder.Property(p => p.LocationId).HasColumnName("location_id");
        builder.Property(p => p.StartDate).HasColumnName("start_date");
        builder.Property(p => p.LeaveDate).HasColumnName("leave_date");
        builder.Property(p => p.UserId).HasColumnName("user_id");
        builder.Property(p => p.CreatedAt).HasColumnName("created_at");
        builder.HasOne<Department>().WithMany().HasForeignKey(p => p.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Person>().WithMany().HasForeignKey(p => p.ManagerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Location>().WithMany().HasForeignKey(p => p.LocationId).OnDelete(DeleteBehavior.Restrict);

        // Deleting an account leaves the person in the directory, unlinked: their assets are still theirs.
        builder.HasOne<WorkspaceUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(p => p.Name);
        builder.HasIndex(p => p.Email).IsUnique();
        builder.HasIndex(p => p.EmployeeNumber).IsUnique();
        builder.HasIndex(p => p.UserId).IsUnique();
        builder.HasIndex(p => p.DepartmentId);
        builder.HasIndex(p => p.ManagerId);
        builder.HasIndex(p => p.LocationId);
    }
}
