// prettier-ignore
export const GIRLS = [
  'Olivia', 'Amelia', 'Isla', 'Ava', 'Ivy', 'Freya', 'Lily', 'Florence', 'Mia', 'Willow', 'Rosie', 'Sophia',
  'Isabella', 'Grace', 'Daisy', 'Sienna', 'Poppy', 'Elsie', 'Emily', 'Ella', 'Evelyn', 'Phoebe', 'Sofia',
  'Evie', 'Charlotte', 'Harper', 'Millie', 'Matilda', 'Maya', 'Sophie', 'Alice', 'Emilia', 'Isabelle',
  'Ruby', 'Aisha', 'Zara', 'Maryam', 'Amira', 'Hannah', 'Niamh', 'Chloe', 'Layla', 'Orla', 'Nia', 'Ayla',
] as const;

// prettier-ignore
export const BOYS = [
  'Noah', 'Oliver', 'George', 'Arthur', 'Muhammad', 'Leo', 'Harry', 'Oscar', 'Archie', 'Henry', 'Theodore',
  'Freddie', 'Jack', 'Charlie', 'Theo', 'Alfie', 'Jacob', 'Thomas', 'Finley', 'Arlo', 'William', 'Lucas',
  'Roman', 'Tommy', 'Isaac', 'Teddy', 'Alexander', 'Luca', 'Edward', 'James', 'Joshua', 'Albie', 'Elijah',
  'Max', 'Mohammed', 'Reggie', 'Ezra', 'Louie', 'Hugo', 'Ibrahim', 'Yusuf', 'Kai', 'Rory', 'Owen', 'Callum',
] as const;

// prettier-ignore
export const WOMEN = [
  'Sarah', 'Emma', 'Laura', 'Rebecca', 'Claire', 'Hannah', 'Gemma', 'Rachel', 'Amy', 'Nicola', 'Kirsty',
  'Fatima', 'Priya', 'Joanna', 'Kate', 'Lucy', 'Vicky', 'Zoe', 'Natalie', 'Samantha', 'Aisha', 'Sinead',
  'Agnieszka', 'Chantelle', 'Helen', 'Jenny', 'Karen', 'Leanne', 'Michelle', 'Nadia',
] as const;

// prettier-ignore
export const MEN = [
  'James', 'David', 'Daniel', 'Mark', 'Paul', 'Richard', 'Andrew', 'Chris', 'Matthew', 'Tom', 'Ben', 'Adam',
  'Imran', 'Raj', 'Tariq', 'Lee', 'Gareth', 'Stuart', 'Craig', 'Dean', 'Kwame', 'Piotr', 'Liam', 'Sean',
  'Michael', 'Neil', 'Peter', 'Simon', 'Steven', 'Wayne',
] as const;

// prettier-ignore
export const SURNAMES = [
  'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Robinson', 'Wright',
  'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Thomas', 'Clarke', 'Jackson', 'Wood',
  'Harris', 'Edwards', 'Turner', 'Martin', 'Cooper', 'Hill', 'Ward', 'Hughes', 'Moore', 'Clark', 'King',
  'Harrison', 'Lewis', 'Baker', 'Lee', 'Allen', 'Morris', 'Khan', 'Scott', 'Watson', 'Davis', 'Parker',
  'James', 'Bennett', 'Young', 'Phillips', 'Richardson', 'Mitchell', 'Bailey', 'Carter', 'Cook', 'Singh',
  'Shaw', 'Bell', 'Collins', 'Morgan', 'Kelly', 'Begum', 'Murphy', 'Miller', 'Cox', 'Hussain', 'Ali', 'Ahmed',
  'Kowalski', 'Nowak', 'Okafor', 'Mensah', "O'Brien", 'Chowdhury', 'Rahman', 'Shah', 'Adeyemi', 'Fraser',
] as const;
