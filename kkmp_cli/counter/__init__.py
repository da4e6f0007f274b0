"""The treasurer's counter: papers a member takes home and the day's cash (#22)."""
